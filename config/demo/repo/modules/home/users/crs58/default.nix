# crs58: developer; admin of stibnite and blackphos.
{ pkgs, ... }:
{
  programs.git.settings.user = {
    name = "crs58";
    email = "crs58@example.org";
  };
  programs.neovim = {
    enable = true;
    defaultEditor = true;
  };
  programs.starship.enable = true;
  home.packages = with pkgs; [ gh just nixfmt-rfc-style ];
}
