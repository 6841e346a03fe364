# shellcheck shell=bash
# The Debian packages that building, testing and demoing Yizhan need: the one list,
# sourced by scripts/test, scripts/demo and scripts/screenshots. Boost comes by its
# versioned 1.81 names: Debian 12's default 1.74 has no Boost.JSON, and the unversioned
# libboost-*-dev packages conflict with 1.81. python3 runs scripts/check-architecture.
# The browser tests (tests/browser) need
# chromium (driven by playwright-core, which downloads no browser of its own), a CJK
# font for the page's Chinese in screenshots, and node with npm for their one npm
# package, installed into tests/browser/node_modules by `npm ci`.

YIZHAN_APT_PACKAGES=(
  cmake ninja-build g++ ccache
  libboost1.81-dev libboost-json1.81-dev libboost-program-options1.81-dev
  libsoci-dev libpq-dev libsqlite3-dev libspdlog-dev libyaml-cpp-dev libssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  postgresql sqlite3 wrk python3
  chromium fonts-wqy-microhei
)
# Node and npm are looked for as commands, not packages: a machine may have them from
# elsewhere (NodeSource's nodejs includes npm and conflicts with Debian's npm package).
# Debian 12's nodejs is 18, which node --test and playwright-core 1.61 run on.
YIZHAN_NODE_PACKAGES=(nodejs npm) # command node -> package nodejs, command npm -> package npm

# Installs whatever in YIZHAN_APT_PACKAGES (and node, npm) is missing, then the browser
# tests' npm packages (yizhan_install_node_modules). Runs `apt-get update` only
# when something must be installed; uses sudo only when not root.
yizhan_install_deps() {
  local missing=() pkg status
  for pkg in "${YIZHAN_APT_PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [[ $status == "install ok installed" ]] || missing+=("$pkg")
  done
  command -v node >/dev/null 2>&1 || missing+=("${YIZHAN_NODE_PACKAGES[0]}")
  command -v npm >/dev/null 2>&1 || missing+=("${YIZHAN_NODE_PACKAGES[1]}")
  if ((${#missing[@]} == 0)); then
    echo "   all ${#YIZHAN_APT_PACKAGES[@]} packages present, and node and npm"
    yizhan_install_node_modules
    return
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
  yizhan_install_node_modules
}

# The browser tests' npm packages (tests/browser/package-lock.json) into
# tests/browser/node_modules with `npm ci`, only when node_modules is missing or the
# lock file changed since (its sha256 is kept in node_modules). No browser is
# downloaded: playwright-core has none, and the tests launch Debian's chromium.
yizhan_install_node_modules() {
  local dir lock stamp sum
  dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/tests/browser"
  lock="$dir/package-lock.json" stamp="$dir/node_modules/.yizhan-lock.sha256"
  [[ -f $lock ]] || return 0
  sum=$(sha256sum "$lock" | cut -d' ' -f1)
  if [[ -d $dir/node_modules && -f $stamp && $(cat "$stamp") == "$sum" ]]; then
    echo "   tests/browser/node_modules matches its package-lock.json"
    return 0
  fi
  echo "   npm ci --prefix tests/browser"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix "$dir" --no-audit --no-fund </dev/null
  printf '%s\n' "$sum" >"$stamp"
}
