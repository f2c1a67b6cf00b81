# Common to all nix-darwin machines.
{ inputs, pkgs, ... }:
{
  imports = [ inputs.home-manager.darwinModules.home-manager ];

  nixpkgs.hostPlatform = "aarch64-darwin";
  nix.settings.experimental-features = [ "nix-command" "flakes" ];

  # Lets `darwin-version --json` tell which commit a machine runs.
  system.configurationRevision = inputs.self.rev or null;
  system.stateVersion = 6;

  security.pam.services.sudo_local.touchIdAuth = true;
  environment.systemPackages = [ pkgs.vim ];
  programs.zsh.enable = true;
}
