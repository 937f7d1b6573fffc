#!/usr/bin/env bash
# Installs code-server (the VS Code OSS workbench, served to a browser) for the end-to-end
# tests in test/e2e/code-server.test.ts, into a cache folder outside the project:
#
#   ${FENJIE_E2E_CACHE:-$HOME/.cache/fenjie-e2e}/code-server-4.100.3
#
# code-server's own install scripts download from GitHub, which these machines cannot reach,
# so it is installed with --ignore-scripts and its native modules are built here against the
# machine's Node (recipe: /work/shared/notes/real-editor-testing.md).
#
# Idempotent: a finished install leaves a marker file, and with the marker present this
# script only says so. A new install is built in a temporary folder next to the destination
# and moved into place only when every step succeeded, so there is never a half install.
set -euo pipefail

VERSION=4.100.3
CACHE="${FENJIE_E2E_CACHE:-$HOME/.cache/fenjie-e2e}"
DEST="$CACHE/code-server-$VERSION"
MARKER="$DEST/.fenjie-e2e-complete"

if [[ -f "$MARKER" ]]; then
  echo "setup-code-server: code-server $VERSION already installed in $DEST"
  exit 0
fi

START=$SECONDS
step_start=$SECONDS
step() {
  echo "setup-code-server: [$((SECONDS - START))s] $*"
  step_start=$SECONDS
}
step_done() {
  echo "setup-code-server:   done in $((SECONDS - step_start))s"
}

# --- System packages --------------------------------------------------------------------
# chromium drives the workbench; ripgrep replaces the rg binary code-server would download;
# the -dev packages and pkg-config build the native modules; fonts-noto-cjk renders Chinese
# in screenshots; python3-docx reads the exported Word file in the tests.
PACKAGES=(chromium ripgrep libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config
  fonts-noto-cjk python3 python3-docx build-essential)
missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} > 0)); then
  step "installing Debian packages: ${missing[*]}"
  if [[ $(id -u) -eq 0 ]]; then
    SUDO=()
  elif command -v sudo >/dev/null; then
    SUDO=(sudo)
  else
    echo "setup-code-server: missing Debian packages (${missing[*]}); run as root or install them first." >&2
    exit 1
  fi
  "${SUDO[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
  step_done
fi

# --- Build in a temporary folder ----------------------------------------------------------
mkdir -p "$CACHE"
# Next to the destination, so the final move is a rename on the same file system.
BUILD="$(mktemp -d "$CACHE/.build-code-server-$VERSION.XXXXXX")"
cleanup() {
  local status=$?
  if ((status != 0)); then
    echo "setup-code-server: FAILED after $((SECONDS - START))s; removing the partial build $BUILD" >&2
  fi
  rm -rf "$BUILD"
}
trap cleanup EXIT

# Native modules are built against this machine's Node headers (Debian's nodejs puts them
# in /usr/include/node), never downloaded; gyp runs on the system Python.
if [[ -d /usr/include/node ]]; then
  export npm_config_nodedir=/usr
fi
export npm_config_python=/usr/bin/python3
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
NODE_GYP="$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js"
if [[ ! -f "$NODE_GYP" ]]; then
  echo "setup-code-server: npm's node-gyp not found at $NODE_GYP" >&2
  exit 1
fi

step "npm install code-server@$VERSION (scripts off) into $BUILD"
cd "$BUILD"
echo '{ "name": "fenjie-e2e-code-server", "private": true }' >package.json
npm install --no-save --ignore-scripts --loglevel=error "code-server@$VERSION" >/dev/null
step_done

CS="$BUILD/node_modules/code-server"
VSCODE="$CS/lib/vscode"

step "npm install in lib/vscode (production dependencies, scripts off)"
(cd "$VSCODE" && npm install --omit=dev --ignore-scripts --loglevel=error >/dev/null)
step_done

step "building native modules (node-gyp, in parallel)"
pids=()
names=()
for m in node-pty @vscode/spdlog native-watchdog @parcel/watcher kerberos @vscode/deviceid; do
  (cd "$VSCODE/node_modules/$m" && node "$NODE_GYP" rebuild --jobs=2 >"$BUILD/gyp-${m//\//_}.log" 2>&1) &
  pids+=($!)
  names+=("$m")
done
failed=0
for i in "${!pids[@]}"; do
  if ! wait "${pids[$i]}"; then
    echo "setup-code-server: node-gyp failed for ${names[$i]}:" >&2
    tail -n 30 "$BUILD/gyp-${names[$i]//\//_}.log" >&2
    failed=1
  fi
done
((failed == 0))
step_done

step "ripgrep link, node_modules.asar link, built-in extensions' dependencies"
mkdir -p "$VSCODE/node_modules/@vscode/ripgrep/bin"
ln -sf /usr/bin/rg "$VSCODE/node_modules/@vscode/ripgrep/bin/rg"
ln -sfn node_modules "$VSCODE/node_modules.asar"
(cd "$VSCODE/extensions" && npm install --omit=dev --ignore-scripts --loglevel=error >/dev/null)
step_done

step "argon2 (code-server's password hashing) via node-pre-gyp, built from source"
nodedir_arg=()
if [[ -n "${npm_config_nodedir:-}" ]]; then nodedir_arg=(--nodedir="$npm_config_nodedir"); fi
(cd "$BUILD/node_modules/argon2" &&
  ../.bin/node-pre-gyp install --fallback-to-build "${nodedir_arg[@]}" >"$BUILD/argon2.log" 2>&1) ||
  { tail -n 30 "$BUILD/argon2.log" >&2; exit 1; }
step_done

step "smoke test: code-server --version"
# With a config file of its own: without one code-server writes ~/.config/code-server/config.yaml.
printf 'auth: none\n' >"$BUILD/config.yaml"
CODE_SERVER_CONFIG="$BUILD/config.yaml" node "$CS/out/node/entry.js" --version
step_done

# --- Move into place -------------------------------------------------------------------
rm -f "$BUILD"/gyp-*.log "$BUILD/argon2.log" "$BUILD/config.yaml"
date -u +"code-server $VERSION installed %Y-%m-%dT%H:%M:%SZ" >"$BUILD/.fenjie-e2e-complete"
rm -rf "$DEST"
mv "$BUILD" "$DEST"
trap - EXIT
echo "setup-code-server: code-server $VERSION installed in $DEST in $((SECONDS - START))s"
