#!/usr/bin/env bash
# Vendor front-end libraries from the npm registry into
# src/fangkong/static/vendor/ so the app works offline with no build step.
#
# To update: change the pinned versions below, run this script, then update
# the versions / sha256 values in src/fangkong/static/vendor/VENDOR.md.
set -euo pipefail

# --- Pinned versions -------------------------------------------------------
HTMX_VERSION="2.0.11"         # htmx.org, latest stable 2.x
ECHARTS_VERSION="6.1.0"       # echarts, latest stable
PICO_VERSION="2.1.1"          # @picocss/pico, latest stable 2.x
SWAGGER_UI_VERSION="5.35.0"   # swagger-ui-dist, for /docs without a CDN
# ---------------------------------------------------------------------------

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR_DIR="${REPO_ROOT}/src/fangkong/static/vendor"

command -v npm >/dev/null || { echo "error: npm not found" >&2; exit 1; }

WORK_DIR="$(mktemp -d)"
trap 'rm -rf "${WORK_DIR}"' EXIT

# fetch <npm-spec> <dest-name>: npm pack the spec into WORK_DIR and extract it
# to WORK_DIR/<dest-name>/ (tarball contents live under "package/").
fetch() {
    local spec="$1" name="$2" tgz
    echo ">> npm pack ${spec}" >&2
    tgz="$(cd "${WORK_DIR}" && npm pack --silent "${spec}" | tail -n 1)"
    mkdir -p "${WORK_DIR}/${name}"
    tar -xzf "${WORK_DIR}/${tgz}" -C "${WORK_DIR}/${name}"
    echo "${WORK_DIR}/${name}/package"
}

# copy <src-file> <dest-file>: copy a file, failing if it is missing or empty.
copy() {
    local src="$1" dest="$2"
    if [[ ! -s "${src}" ]]; then
        echo "error: expected file missing or empty: ${src#"${WORK_DIR}"/}" >&2
        exit 1
    fi
    mkdir -p "$(dirname "${dest}")"
    cp "${src}" "${dest}"
    chmod 0644 "${dest}"
}

# copy_first <dest-dir> <src-file>...: copy the first existing candidate
# (keeping its basename); fail if none exists.
copy_first() {
    local dest_dir="$1"; shift
    local f
    for f in "$@"; do
        if [[ -f "${f}" ]]; then
            copy "${f}" "${dest_dir}/$(basename "${f}")"
            return 0
        fi
    done
    echo "error: none of these files exist: $*" >&2
    exit 1
}

# check_version <pkg-dir> <expected>: make sure we got what we pinned.
check_version() {
    local got
    got="$(node -p "require('$1/package.json').version")"
    if [[ "${got}" != "$2" ]]; then
        echo "error: expected version $2, got ${got}" >&2
        exit 1
    fi
}

# --- htmx ------------------------------------------------------------------
pkg="$(fetch "htmx.org@${HTMX_VERSION}" htmx)"
check_version "${pkg}" "${HTMX_VERSION}"
rm -rf "${VENDOR_DIR}/htmx"
copy "${pkg}/dist/htmx.min.js" "${VENDOR_DIR}/htmx/htmx.min.js"
copy_first "${VENDOR_DIR}/htmx" "${pkg}/LICENSE" "${pkg}/LICENSE.md" "${pkg}/LICENSE.txt"

# --- ECharts ---------------------------------------------------------------
pkg="$(fetch "echarts@${ECHARTS_VERSION}" echarts)"
check_version "${pkg}" "${ECHARTS_VERSION}"
rm -rf "${VENDOR_DIR}/echarts"
copy "${pkg}/dist/echarts.min.js" "${VENDOR_DIR}/echarts/echarts.min.js"
copy_first "${VENDOR_DIR}/echarts" "${pkg}/LICENSE" "${pkg}/LICENSE.md" "${pkg}/LICENSE.txt"
if [[ -f "${pkg}/NOTICE" ]]; then
    copy "${pkg}/NOTICE" "${VENDOR_DIR}/echarts/NOTICE"
fi
# ECharts' LICENSE refers to licenses/LICENSE-d3 (BSD-3-Clause d3 code that is
# embedded in the bundle); keep it at the same relative path.
if [[ -f "${pkg}/licenses/LICENSE-d3" ]]; then
    copy "${pkg}/licenses/LICENSE-d3" "${VENDOR_DIR}/echarts/licenses/LICENSE-d3"
fi

# --- Pico CSS --------------------------------------------------------------
pkg="$(fetch "@picocss/pico@${PICO_VERSION}" pico)"
check_version "${pkg}" "${PICO_VERSION}"
rm -rf "${VENDOR_DIR}/pico"
copy "${pkg}/css/pico.min.css" "${VENDOR_DIR}/pico/pico.min.css"
copy_first "${VENDOR_DIR}/pico" "${pkg}/LICENSE.md" "${pkg}/LICENSE" "${pkg}/LICENSE.txt"

# --- Swagger UI (the API docs page) ----------------------------------------
pkg="$(fetch "swagger-ui-dist@${SWAGGER_UI_VERSION}" swagger-ui)"
check_version "${pkg}" "${SWAGGER_UI_VERSION}"
rm -rf "${VENDOR_DIR}/swagger-ui"
for f in swagger-ui-bundle.js swagger-ui-bundle.js.LICENSE.txt swagger-ui.css LICENSE NOTICE; do
    copy "${pkg}/${f}" "${VENDOR_DIR}/swagger-ui/${f}"
done

# --- Summary ---------------------------------------------------------------
echo
echo "Vendored: htmx.org@${HTMX_VERSION} echarts@${ECHARTS_VERSION} @picocss/pico@${PICO_VERSION} swagger-ui-dist@${SWAGGER_UI_VERSION}"
echo "sha256 (paths relative to ${VENDOR_DIR#"${REPO_ROOT}"/}):"
(cd "${VENDOR_DIR}" && find htmx echarts pico swagger-ui -type f | LC_ALL=C sort | xargs sha256sum)
echo "Remember to update VENDOR.md (versions and sha256 values)."
