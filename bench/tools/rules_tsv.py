"""The rules file the benchmark writes (one rule per line: role, ethertype, protocol, port min, port max, remote
prefix; "-" for no port), read into Neutron security-group rule bodies; shared by the Python baselines."""


def read_rules(path, group_ids, description):
    """Yields (role, rule body) for each line; group_ids maps a role ("master", "worker") to its group's ID."""
    with open(path) as f:
        for line in f:
            role, ethertype, protocol, pmin, pmax, remote = line.rstrip("\n").split("\t")
            rule = dict(security_group_id=group_ids[role], direction="ingress", ethertype=ethertype,
                        protocol=protocol, remote_ip_prefix=remote, description=description)
            if pmin != "-":
                rule.update(port_range_min=int(pmin), port_range_max=int(pmax))
            yield role, rule
