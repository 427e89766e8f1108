#!/usr/bin/env bash
# What the Spark engine of the city roll-up (xiaoan city rollup --engine spark; tests/test_city_rollup.py,
# benchmarks/city_scaling.py) needs besides the pyspark package (the [spark] extra): a Java runtime.
# Installs Debian's openjdk-17-jre-headless only when `java` is missing (like scripts/install_browser.sh).
# Exits non-zero when Java is missing and cannot be installed: the caller prints the loud warning.
set -euo pipefail

if command -v java >/dev/null 2>&1; then
    echo "install_java.sh: $(java -version 2>&1 | head -n 1) ready"
    exit 0
fi
if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
    echo "install_java.sh: need root to apt-get install openjdk-17-jre-headless" >&2; exit 1; fi
echo "install_java.sh: installing openjdk-17-jre-headless with apt-get"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless
echo "install_java.sh: $(java -version 2>&1 | head -n 1) ready"
