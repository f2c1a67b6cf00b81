# stibnite: crs58's MacBook Pro.
{ homes, ... }:
{
  imports = [ (homes.embed [ "crs58" ]) ];

  networking.hostName = "stibnite";
  system.primaryUser = "crs58";
  users.users.crs58.home = "/Users/crs58";

  homebrew = {
    enable = true;
    casks = [ "firefox" "ghostty" ];
  };
  system.defaults.dock.autohide = true;
}
