{
  "targets": [
    {
      "target_name": "drover_spawn",
      "sources": ["src/executor/native/spawn.c"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "conditions": [["OS!='linux'", {"type": "none"}]]
    }
  ]
}
