# scheelite: build machine for the fleet (remote builder).
{ homes, ... }:
{
  imports = [ (homes.embed [ "cameron" ]) ./hardware.nix ];

  networking.hostName = "scheelite";
  users.users.cameron = {
    isNormalUser = true;
    extraGroups = [ "wheel" ];
    openssh.authorizedKeys.keys = [
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHk2cE3Wq8t0V9yJm4pB1sLrXfG7dQzN5aUoKx2hTcYe cameron@rosegold"
    ];
  };

  nix.settings.trusted-users = [ "cameron" ];
  nix.settings.max-jobs = 16;
  boot.binfmt.emulatedSystems = [ "aarch64-linux" ];
}
