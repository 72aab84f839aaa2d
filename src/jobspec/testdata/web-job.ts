/** A service job with group and task networks, services and every kind of check: the network/service decoding fixture. */
export const WEB = `job "web" {
  group "api" {
    count = 2
    network {
      port "http" {
        to = 8080
      }
      port "admin" {
        static = 9901
      }
      dns {
        servers = ["1.1.1.1"]
      }
    }
    service {
      name = "\${JOB}-api"
      port = "http"
      tags = ["v1"]
      check {
        type     = "http"
        path     = "/health?full=1"
        method   = "post"
        interval = "5s"
        timeout  = "2s"
        header {
          Authorization = ["Basic Zm9v"]
        }
      }
      check_restart {
        limit = 3
        grace = "10s"
      }
    }
    task "server" {
      driver = "raw_exec"
      config {
        command = "/bin/sleep"
      }
      service {
        port = "admin"
        check {
          type     = "tcp"
          interval = "10s"
          timeout  = "1s"
        }
        check {
          name     = "alive"
          type     = "script"
          command  = "/bin/true"
          interval = "10s"
          timeout  = "3s"
        }
      }
      resources {
        network {
          port "legacy" {}
        }
      }
    }
  }
}
`;
