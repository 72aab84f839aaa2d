# A batch job for the mock driver that shows the task lifecycle in a few seconds:
# a prestart task prepares, the main task prints and exits, a poststop task cleans up.
# Run it with: drover run -logs examples/mock.nomad.hcl
variable "greeting" {
  type    = string
  default = "hello, world!"
}

job "mock-demo" {
  type        = "batch"
  datacenters = ["dc1"]

  group "demo" {
    restart {
      attempts = 1
      delay    = "1s"
      mode     = "fail"
    }

    task "prepare" {
      driver = "mock_driver"
      lifecycle {
        hook = "prestart"
      }
      config {
        run_for       = "500ms"
        stdout_string = "preparing ${NOMAD_ALLOC_DIR}\n"
      }
    }

    task "work" {
      driver       = "mock_driver"
      kill_timeout = "5s"
      config {
        run_for                = "2s"
        stdout_string          = "${var.greeting} from ${NOMAD_TASK_NAME}\n"
        stdout_repeat          = 3 # written once, then repeated 3 times
        stdout_repeat_duration = "500ms"
      }
      resources {
        cpu    = 128
        memory = 128
      }
    }

    task "cleanup" {
      driver = "mock_driver"
      lifecycle {
        hook = "poststop"
      }
      config {
        run_for       = "250ms"
        stdout_string = "cleaning up\n"
      }
    }
  }
}
