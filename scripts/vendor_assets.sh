#!/usr/bin/env bash
# Re-fetch the browser assets Longcheng serves locally (no CDN) from the npm registry.
# The versions are pinned here; the sha256 of each file is checked in static/vendor/VENDOR.sha256.
set -euo pipefail
HTMX_VERSION=2.0.11
ECHARTS_VERSION=5.6.0
dest="$(cd "$(dirname "$0")/.." && pwd)/src/longcheng/static/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack "htmx.org@${HTMX_VERSION}" "echarts@${ECHARTS_VERSION}" --silent >/dev/null
tar xzf "htmx.org-${HTMX_VERSION}.tgz" && cp package/dist/htmx.min.js "$dest/" && cp package/LICENSE "$dest/htmx.LICENSE.txt" && rm -rf package
tar xzf "echarts-${ECHARTS_VERSION}.tgz" && cp package/dist/echarts.min.js "$dest/" && cp package/LICENSE "$dest/echarts.LICENSE.txt" && rm -rf package
cd "$dest" && sha256sum -c VENDOR.sha256
