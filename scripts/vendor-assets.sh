#!/usr/bin/env bash
# Copies the front-end packages pinned in package.json (package-lock.json) into static/vendor/.
# Run after changing a version; the copies are committed so that nothing is fetched at run time.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund
v=static/vendor
rm -rf "$v" && mkdir -p "$v"/bootstrap "$v"/bootstrap-icons/fonts "$v"/htmx "$v"/echarts
cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/js/bootstrap.bundle.min.js "$v"/bootstrap/
cp node_modules/bootstrap/LICENSE "$v"/bootstrap/LICENSE
cp node_modules/bootstrap-icons/font/bootstrap-icons.min.css "$v"/bootstrap-icons/
cp node_modules/bootstrap-icons/font/fonts/bootstrap-icons.woff2 node_modules/bootstrap-icons/font/fonts/bootstrap-icons.woff "$v"/bootstrap-icons/fonts/
cp node_modules/bootstrap-icons/LICENSE "$v"/bootstrap-icons/LICENSE
cp node_modules/htmx.org/dist/htmx.min.js "$v"/htmx/
cp node_modules/htmx.org/LICENSE "$v"/htmx/LICENSE
# ECharts (Apache-2.0): the full build, for the statistics charts; NOTICE travels with the licence.
cp node_modules/echarts/dist/echarts.min.js "$v"/echarts/
cp node_modules/echarts/LICENSE node_modules/echarts/NOTICE "$v"/echarts/
node -e 'const l=require("./package-lock.json");for(const[k,v]of Object.entries(l.packages))if(k)console.log(k.replace("node_modules/",""),v.version)' > "$v"/VERSIONS
echo "vendored into $v:"; cat "$v"/VERSIONS
