{
  "targets": [
    {
      "target_name": "vgw_esp",
      "sources": ["native/vgw_esp.c", "native/lookup_dir24.c", "native/lookup_scan.c", "native/aes_lanes.c", "native/sha1_lanes.c"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Werror=implicit-function-declaration"]
    }
  ]
}
