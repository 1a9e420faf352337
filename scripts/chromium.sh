#!/usr/bin/env bash
# Make sure Chromium is there for the browser tests and the benchmark's clicks: Debian's package, installed as root.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1 && [ -z "${CHROMIUM_PATH:-}" ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "Installing Debian's chromium for the browser tests and the benchmark..."
    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null
  else
    echo "Chromium is missing: run 'sudo apt-get install -y chromium' (or set CHROMIUM_PATH), then try again." >&2
    exit 1
  fi
fi
