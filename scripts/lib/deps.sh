# shellcheck shell=bash
# The Debian packages that building, testing and demoing Yizhan need: the one list,
# sourced by scripts/test and scripts/demo. See shared/reference/stack-notes.md for
# why the Boost packages are versioned (libboost1.81-dev conflicts with 1.74).

YIZHAN_APT_PACKAGES=(
  cmake ninja-build g++ ccache
  libboost1.81-dev libboost-json1.81-dev libboost-program-options1.81-dev
  libsoci-dev libpq-dev libsqlite3-dev libspdlog-dev libyaml-cpp-dev libssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  postgresql sqlite3 wrk
)

# Installs whatever in YIZHAN_APT_PACKAGES is missing. Runs `apt-get update` only
# when something must be installed; uses sudo only when not root.
yizhan_install_deps() {
  local missing=() pkg status
  for pkg in "${YIZHAN_APT_PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [[ $status == "install ok installed" ]] || missing+=("$pkg")
  done
  if ((${#missing[@]} == 0)); then
    echo "   all ${#YIZHAN_APT_PACKAGES[@]} packages present"
    return 0
  fi
  echo "   missing: ${missing[*]}"
  local -a sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "error: not root and no sudo; install as root: apt-get install ${missing[*]}" >&2
      return 1
    fi
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "${missing[@]}" </dev/null
}
