# A small stand-in for nixpkgs' lib: the functions and option types deploy/nix/module.nix uses,
# with the same meaning (types check values as nixpkgs' do, for the kinds used here). There is no
# nixpkgs offline; evaluate-module.nix uses this to evaluate the module (NixOsModuleTest).
let
  mkType = name: check: { _type = "option-type"; inherit name check; };
  isPackage = v: builtins.isAttrs v && (v.type or null) == "derivation";
in
rec {
  mkOption = attrs: attrs // { _type = "option"; };
  mkEnableOption = name: mkOption { type = types.bool; default = false; description = "Whether to enable ${name}."; };
  mkIf = condition: content: { _type = "if"; inherit condition content; };
  literalExpression = text: { _type = "literalExpression"; inherit text; };

  optionals = condition: list: if condition then list else [ ];
  optionalAttrs = condition: attrs: if condition then attrs else { };
  mapAttrsToList = f: attrs: map (name: f name attrs.${name}) (builtins.attrNames attrs);
  concatStrings = builtins.concatStringsSep "";
  concatStringsSep = builtins.concatStringsSep;
  boolToString = b: if b then "true" else "false";

  types = {
    bool = mkType "bool" builtins.isBool;
    str = mkType "str" builtins.isString;
    int = mkType "int" builtins.isInt;
    port = mkType "port" (v: builtins.isInt v && v >= 0 && v <= 65535);
    package = mkType "package" isPackage;
    nullOr = t: mkType "null or ${t.name}" (v: v == null || t.check v);
    listOf = t: mkType "list of ${t.name}" (v: builtins.isList v && builtins.all t.check v);
    attrsOf = t: mkType "attribute set of ${t.name}" (v: builtins.isAttrs v && builtins.all t.check (builtins.attrValues v));
    oneOf = ts: mkType "one of ${builtins.concatStringsSep ", " (map (t: t.name) ts)}" (v: builtins.any (t: t.check v) ts);
  };
}
