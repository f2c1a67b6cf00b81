# rosegold: shared iMac. cameron's home is part of the system; janettesmith
# has no admin rights and switches her own home (homeConfigurations."janettesmith@rosegold").
{ homes, ... }:
{
  imports = [ (homes.embed [ "cameron" ]) ];

  networking.hostName = "rosegold";
  system.primaryUser = "cameron";
  users.users = {
    cameron.home = "/Users/cameron";
    janettesmith.home = "/Users/janettesmith";
  };

  system.defaults.screensaver.askForPasswordDelay = 10;
}
