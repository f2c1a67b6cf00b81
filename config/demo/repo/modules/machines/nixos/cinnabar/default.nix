# cinnabar: zerotier controller and the fleet's entry point.
{ homes, ... }:
{
  imports = [ (homes.embed [ "cameron" ]) ./hardware.nix ];

  networking.hostName = "cinnabar";
  users.users.cameron = {
    isNormalUser = true;
    extraGroups = [ "wheel" ];
    openssh.authorizedKeys.keys = [
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHk2cE3Wq8t0V9yJm4pB1sLrXfG7dQzN5aUoKx2hTcYe cameron@rosegold"
    ];
  };

  services.zerotierone.enable = true;
  clan.core.networking.zerotier.controller.enable = true;
}
