/**
 * Nomad's e2e/rescheduling/input jobs that need no deployment, verbatim but for the
 * license header (hashicorp/nomad e2e/rescheduling/input/*.nomad), as rescheduling_test.go runs them.
 */

/** norescheduling_service.nomad */
export const noreschedulingService = `job "test1" {

  datacenters = ["dc1", "dc2"]

  constraint {
    attribute = "\${attr.kernel.name}"
    value     = "linux"
  }

  type = "service"

  group "t1" {
    count = 3

    task "t1" {
      driver = "raw_exec"

      config {
        command = "bash"
        args    = ["-c", "lol 5000"]
      }
    }

    update {
      max_parallel     = 1
      min_healthy_time = "10s"
      auto_revert      = false
    }

    restart {
      attempts = 0
      delay    = "0s"
      mode     = "fail"
    }

    reschedule {
      attempts  = 0
      interval  = "5m"
      unlimited = false
    }
  }
}
`;

/** norescheduling_system.nomad */
export const noreschedulingSystem = `job "test" {

  datacenters = ["dc1", "dc2"]

  constraint {
    attribute = "\${attr.kernel.name}"
    value     = "linux"
  }

  type = "system"

  group "t" {
    count = 1

    task "t" {
      driver = "raw_exec"

      config {
        command = "bash"
        args    = ["-c", "lol 5000"]
      }
    }

    restart {
      attempts = 0
      delay    = "0s"
      mode     = "fail"
    }
  }
}
`;

/** rescheduling_default.nomad */
export const reschedulingDefault = `job "test" {

  datacenters = ["dc1", "dc2"]

  constraint {
    attribute = "\${attr.kernel.name}"
    value     = "linux"
  }

  type = "service"

  group "t" {
    count = 3

    task "t" {
      driver = "raw_exec"

      config {
        command = "bash"
        args    = ["-c", "lol 5000"]
      }
    }

    restart {
      attempts = 0
      delay    = "0s"
      mode     = "fail"
    }
  }
}
`;

/** rescheduling_fail.nomad */
export const reschedulingFail = `job "test2" {

  datacenters = ["dc1", "dc2"]

  constraint {
    attribute = "\${attr.kernel.name}"
    value     = "linux"
  }

  type = "service"

  group "t2" {
    count = 3

    task "t2" {
      driver = "raw_exec"

      config {
        command = "bash"
        args    = ["-c", "lol 5000"]
      }
    }

    restart {
      attempts = 0
      delay    = "0s"
      mode     = "fail"
    }

    reschedule {
      attempts  = 2
      interval  = "5m"
      unlimited = false
    }
  }
}
`;

/** rescheduling_success.nomad */
export const reschedulingSuccess = `job "test3" {

  datacenters = ["dc1", "dc2"]

  constraint {
    attribute = "\${attr.kernel.name}"
    value     = "linux"
  }

  type = "service"

  group "t3" {
    count = 3

    task "t3" {
      driver = "raw_exec"

      config {
        command = "bash"
        args    = ["-c", "a=\`cksum <<< \\"\${NOMAD_ALLOC_ID}\\"| cut -d ' ' -f1\`; if ! (( a % 2 )); then sleep 5000; else exit -1; fi"]
      }
    }

    restart {
      attempts = 0
      delay    = "0s"
      mode     = "fail"
    }

    reschedule {
      delay          = "5s"
      delay_function = "constant"
      unlimited      = true
    }

  }
}
`;
