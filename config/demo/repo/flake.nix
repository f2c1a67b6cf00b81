{
  description = "Demo fleet: nix-darwin workstations and NixOS servers, deployed with clan";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.11";
    nix-darwin.url = "github:nix-darwin/nix-darwin/nix-darwin-25.11";
    nix-darwin.inputs.nixpkgs.follows = "nixpkgs";
    home-manager.url = "github:nix-community/home-manager/release-25.11";
    home-manager.inputs.nixpkgs.follows = "nixpkgs";
    clan-core.url = "https://git.clan.lol/clan/clan-core/archive/main.tar.gz";
    clan-core.inputs.nixpkgs.follows = "nixpkgs";
    clan-core.inputs.nix-darwin.follows = "nix-darwin";
  };

  outputs = { self, nixpkgs, clan-core, ... }@inputs:
    let
      inherit (nixpkgs) lib;
      homes = import ./modules/home/users/lib.nix { inherit inputs lib; };
      # Every folder modules/machines/<class>/<name> is one machine of that class.
      namesOf = class: lib.attrNames (lib.filterAttrs (_: type: type == "directory")
        (builtins.readDir ./modules/machines/${class}));
      machinesOf = class: lib.genAttrs (namesOf class) (name: {
        imports = [ ./modules/${class} ./modules/machines/${class}/${name} ];
      });
      clan = clan-core.lib.clan {
        inherit self;
        meta.name = "demo-fleet";
        specialArgs = { inherit inputs homes; };
        inventory.machines = lib.genAttrs (namesOf "darwin") (_: { machineClass = "darwin"; });
        machines = machinesOf "nixos" // machinesOf "darwin";
      };
    in
    {
      inherit (clan.config) nixosConfigurations darwinConfigurations clanInternals;
      clan = clan.config;
      # Users without root on a shared machine: deployed with `nh home switch`.
      homeConfigurations = {
        "janettesmith@rosegold" = homes.standalone "janettesmith" "aarch64-darwin";
        "christophersmith@argentum" = homes.standalone "christophersmith" "aarch64-darwin";
      };
    };
}
