# blackphos: family Mac mini; raquel uses it, crs58 administers it.
{ homes, ... }:
{
  imports = [ (homes.embed [ "raquel" "crs58" ]) ];

  networking.hostName = "blackphos";
  system.primaryUser = "crs58";
  users.users = {
    crs58.home = "/Users/crs58";
    raquel.home = "/Users/raquel";
  };

  system.defaults.finder.AppleShowAllExtensions = true;
  power.sleep.computer = "never";
}
