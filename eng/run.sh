#!/usr/bin/env bash
# Runs the product: the Aspire AppHost with its dashboard (`dotnet run --project FeatureStore.AppHost`). Redis,
# PostgreSQL, RabbitMQ and an S3 server run as containers where a container runtime answers, and as local executables
# elsewhere; for those, this script first installs what is missing (eng/infra.sh install: apt and npm, as root on
# Debian/Ubuntu). Extra arguments go to the AppHost, e.g. `--infrastructure executables` or `PipelineWorker:Replicas=3`.
# The one-process way with no servers at all: dotnet run --project services/standalone (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
runtime_answers() { command -v "$1" >/dev/null && timeout 5 "$1" container ls -n 1 >/dev/null 2>&1; }
if [[ " $* " == *" --infrastructure executables "* ]] || ! { runtime_answers docker || runtime_answers podman; }; then
  echo "[run] no container runtime answers: the backing servers run as local executables; installing what is missing" >&2
  eng/infra.sh install
fi
cat >&2 <<'NOTE'
[run] starting the AppHost; the dashboard's address and its login link follow ("Login to the dashboard at ...").
[run] The dashboard listens on localhost only: from another machine, forward it (ssh -L 18888:localhost:18888 <this host>)
[run] and open the login link there. The services' own URLs are on the dashboard's resources page.
NOTE
exec dotnet run --project FeatureStore.AppHost --launch-profile http -- "$@"
