# Evaluates deploy/nix/module.nix the way the NixOS module system would for one host, against
# stub-lib.nix and stub packages: the option values are the user's (checked against the option's
# type) or the option's default, and `mkIf` keeps or drops its content. Prints the parts of the
# resulting configuration that NixOsModuleTest checks.
#   nix-instantiate --eval --strict --json evaluate-module.nix --argstr module <path> --argstr userJson '{...}'
{ module, userJson }:

let
  lib = import ./stub-lib.nix;
  user = builtins.fromJSON userJson;
  stubPackage = name: { type = "derivation"; inherit name; outPath = "/nix/store/00000000000000000000000000000000-${name}"; };
  pkgs = {
    openssh = stubPackage "openssh";
    git = stubPackage "git";
    nix = stubPackage "nix";
    util-linux = stubPackage "util-linux";
    callPackage = _path: _args: stubPackage "fleetward";
  };
  # The user's JSON names packages by a string: { "clanCli": "pkg:clan-cli" }.
  userValue = v:
    if builtins.isString v && builtins.substring 0 4 v == "pkg:" then stubPackage (builtins.substring 4 100 v)
    else if builtins.isList v then map userValue v
    else v;

  evaluated = (import module) { inherit config lib pkgs; };
  options = evaluated.options.services.fleetward;
  value = name: option:
    let v = if user ? ${name} then userValue user.${name} else option.default;
    in if option.type.check v then v
       else throw "services.fleetward.${name}: not a ${option.type.name}: ${builtins.toJSON v}";
  config = { services.fleetward = builtins.mapAttrs value options; };

  # mkIf, at the top of the module's config as in this module.
  resolved = if evaluated.config._type or null == "if"
    then (if evaluated.config.condition then evaluated.config.content else { })
    else evaluated.config;
  unit = resolved.systemd.services.fleetward;
in
if resolved == { } then { enabled = false; } else {
  enabled = true;
  properties = resolved.environment.etc."fleetward/application.properties".text;
  users = resolved.users.users;
  groups = builtins.attrNames resolved.users.groups;
  firewallPorts = resolved.networking.firewall.allowedTCPPorts;
  tmpfiles = resolved.systemd.tmpfiles.rules;
  path = map (p: p.name) unit.path;
  environment = unit.environment;
  serviceConfig = unit.serviceConfig;
  wantedBy = unit.wantedBy;
  restartTriggers = unit.restartTriggers;
}
