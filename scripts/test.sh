#!/usr/bin/env bash
# Runs every test. Installs PostgreSQL and Redis when they are missing; the tests themselves start
# private instances on loopback ports with data in temp folders, and stop them at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

rm -rf TestResults
dotnet test Orleans.sln -c Release --logger "trx;LogFilePrefix=results" --results-directory TestResults "$@"
