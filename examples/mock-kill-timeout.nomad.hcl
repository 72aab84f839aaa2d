# The example from Nomad's mock driver docs for testing kill_timeout: a service
# task that runs 30s, exits with signal 9 and "error on exit", then restarts
# after 15s plus up to 25% jitter. Stop it with Ctrl-C.
job "mock" {
  group "group" {
    task "task" {
      driver       = "mock_driver"
      kill_timeout = "5s"
      config {
        exit_code              = 0
        exit_err_msg           = "error on exit"
        exit_signal            = 9
        kill_after             = "3s"
        run_for                = "30s"
        signal_error           = "got signal"
        start_block_for        = "1s"
        stdout_repeat          = 1
        stdout_repeat_duration = "10s"
        stdout_string          = "hello, world!\n"
      }
      resources {
        cpu    = 128
        memory = 128
      }
    }
  }
}
