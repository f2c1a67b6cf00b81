# galena: PostgreSQL database server.
{ homes, ... }:
{
  imports = [ (homes.embed [ "cameron" ]) ./hardware.nix ];

  networking.hostName = "galena";
  users.users.cameron = {
    isNormalUser = true;
    extraGroups = [ "wheel" ];
    openssh.authorizedKeys.keys = [
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHk2cE3Wq8t0V9yJm4pB1sLrXfG7dQzN5aUoKx2hTcYe cameron@rosegold"
    ];
  };

  services.postgresql = {
    enable = true;
    ensureDatabases = [ "app" ];
    ensureUsers = [ { name = "app"; ensureDBOwnership = true; } ];
  };
  services.postgresqlBackup.enable = true;
}
