#!/usr/bin/env bash
# Runs the product. Where a container runtime is visible (the FeatureStoreAspire switch, eng/FeatureStoreAspire.props)
# it starts the Aspire AppHost: Redis, PostgreSQL, RabbitMQ, MinIO and the four services under Docker, with the
# dashboard. Anywhere else it starts the standalone host: the four services in one process on embedded backends.
# Force either with FeatureStoreAspire=true|false. Extra arguments go to the host.
set -euo pipefail
cd "$(dirname "$0")/.."
aspire=$(dotnet msbuild eng/FeatureStoreAspire.props -getProperty:FeatureStoreAspire 2>/dev/null || echo False)
if [[ ${aspire,,} == true ]]; then
  echo "[run] container runtime found: starting the Aspire AppHost (the dashboard address follows)" >&2
  exec dotnet run --project FeatureStore.AppHost -- "$@"
fi
echo "[run] no container runtime: starting the standalone host on http://localhost:5100 (data in services/standalone/.data)" >&2
exec dotnet run --project services/standalone --launch-profile http -- "$@"
