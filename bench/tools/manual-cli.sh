#!/usr/bin/env bash
# The manual (UPI) path: the network side of a dual-stack cluster with one `openstack` CLI command per action, as the
# UPI documentation and playbooks do it: one `security group rule create` per rule, `port create --allowed-address`
# per node port, `port set --tag` afterwards. Resources are passed by ID (a careful scripter: no name look-ups).
#
#   manual-cli.sh RULES_TSV
#
# Environment (set by the harness, bench/ShiftStack.Bench): OS_CLIENT_CONFIG_FILE/OS_CLOUD (the bench cloud),
# INFRA_ID, NETWORK_ID, SUBNET_V4, SUBNET_V6, API_PORT, INGRESS_PORT, VIPS (space-separated), PORTS (node port names).
# RULES_TSV lines: group<TAB>ethertype<TAB>protocol<TAB>port_min<TAB>port_max<TAB>remote_ip_prefix ("-" = no ports).
set -euo pipefail
rules=$1
os=/usr/bin/openstack
tag="openshiftClusterID=$INFRA_ID"
desc="Created By OpenShift Installer"

declare -A sg
for role in master worker; do
  sg[$role]=$($os security group create "$INFRA_ID-$role" --description "$desc" --tag "$tag" -f value -c id)
done

while IFS=$'\t' read -r role ethertype protocol min max remote; do
  ports=()
  [ "$min" != "-" ] && ports=(--dst-port "$min:$max")
  $os security group rule create "${sg[$role]}" --ingress --ethertype "$ethertype" --protocol "$protocol" \
    "${ports[@]}" --remote-ip "$remote" --description "$desc" -f value -c id > /dev/null
done < "$rules"

# The user's VIP ports: the cluster's tag and group (port set --security-group adds to the port's groups).
$os port set "$API_PORT" --tag "$INFRA_ID-dual-stack-vips-port" --security-group "${sg[master]}"
$os port set "$INGRESS_PORT" --tag "$INFRA_ID-dual-stack-vips-port" --security-group "${sg[worker]}"

pairs=()
for vip in $VIPS; do pairs+=(--allowed-address "ip-address=$vip"); done
for name in $PORTS; do
  id=$($os port create "$name" --network "$NETWORK_ID" --fixed-ip "subnet=$SUBNET_V4" --fixed-ip "subnet=$SUBNET_V6" \
    "${pairs[@]}" --security-group "${sg[master]}" --description "Created By ShiftStack" -f value -c id)
  $os port set "$id" --tag "$tag"
done
