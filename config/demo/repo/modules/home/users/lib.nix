# Shared by the machines and the standalone homes: how a user's home-manager
# configuration is assembled, so both deployment modes build the same thing.
{ inputs, lib }:
let
  modulesOf = user: [ ../default.nix ./${user} ];
  homeDirectory = system: user:
    if lib.hasSuffix "darwin" system then "/Users/${user}" else "/home/${user}";
in
{
  # Embedded in a machine: deployed by `clan machines update <host>`.
  embed = users: { pkgs, ... }: {
    home-manager.useGlobalPkgs = true;
    home-manager.useUserPackages = true;
    home-manager.users = lib.genAttrs users (user: {
      imports = modulesOf user;
      home.homeDirectory = lib.mkForce (homeDirectory pkgs.stdenv.hostPlatform.system user);
    });
  };

  # Standalone: the user switches it without root.
  standalone = user: system:
    inputs.home-manager.lib.homeManagerConfiguration {
      pkgs = inputs.nixpkgs.legacyPackages.${system};
      modules = modulesOf user ++ [{
        home.username = user;
        home.homeDirectory = homeDirectory system user;
      }];
    };
}
