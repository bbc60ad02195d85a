#!/bin/bash
# One process per case; prints one line per case. Usage: VENVS=/path/to/venvs run.sh VENV... (each VENVS/VENV is a virtualenv with moto and boto3)
cd "$(dirname "$0")"
VENVS=${VENVS:-/tmp/scp104-moto}
HOMEDIR=$(mktemp -d)
CASES="noenv:from:after:client noenv:from:after:session noenv:from:before:client noenv:from:before:session noenv:from:deco:client noenv:from:deco:session noenv:from:armed:client noenv:from:armed:session noenv:from:before:regionless noenv:import:after:session fakeenv:from:after:client fakeenv:from:after:session fakeenv:from:before:client fakeenv:from:before:session fakeenv:from:deco:session fakeenv:from:deco:client"
for venv in "$@"; do
  py=$VENVS/$venv/bin/python
  ver=$($py -c "import moto,boto3,botocore;print('moto',moto.__version__,'botocore',botocore.__version__)" 2>/dev/null)
  echo "### $venv: $ver"
  for c in $CASES; do
    IFS=: read envname how order kind <<< "$c"
    if [ $envname = fakeenv ]; then extra="AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_SESSION_TOKEN=testing AWS_DEFAULT_REGION=us-east-1"; else extra=""; fi
    out=$(env -i PATH=/usr/bin:/bin HOME=$HOMEDIR PYTHONWARNINGS=ignore AWS_MAX_ATTEMPTS=1 AWS_EC2_METADATA_DISABLED=true $extra timeout 120 $py probe.py $order $kind $how 2>/dev/null | tail -1)
    printf '%-5s %-7s %-6s %-6s %-10s %s\n' "$venv" $envname $how $order $kind "$out"
  done
done
