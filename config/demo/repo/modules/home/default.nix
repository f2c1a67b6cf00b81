# Every home, embedded or standalone.
{ pkgs, ... }:
{
  home.stateVersion = "25.11";
  programs.home-manager.enable = true;

  programs.zsh = {
    enable = true;
    autosuggestion.enable = true;
  };
  programs.direnv = {
    enable = true;
    nix-direnv.enable = true;
  };
  programs.git.enable = true;

  home.packages = with pkgs; [ ripgrep fd jq ];
}
