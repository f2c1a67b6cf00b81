# cameron: operates the servers; admin of rosegold and argentum.
{ pkgs, ... }:
{
  programs.git.settings.user = {
    name = "Cameron";
    email = "cameron@example.org";
  };
  programs.ssh = {
    enable = true;
    matchBlocks."*.zt".user = "cameron";
  };
  programs.tmux.enable = true;
  home.packages = with pkgs; [ clan-cli nh postgresql ];
}
