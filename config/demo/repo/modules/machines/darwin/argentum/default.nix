# argentum: shared MacBook Air. cameron's home is part of the system;
# christophersmith switches his own home (homeConfigurations."christophersmith@argentum").
{ homes, ... }:
{
  imports = [ (homes.embed [ "cameron" ]) ];

  networking.hostName = "argentum";
  system.primaryUser = "cameron";
  users.users = {
    cameron.home = "/Users/cameron";
    christophersmith.home = "/Users/christophersmith";
  };

  system.defaults.trackpad.Clicking = true;
}
