# electrum: web front end (nginx with ACME certificates).
{ homes, ... }:
{
  imports = [ (homes.embed [ "cameron" ]) ./hardware.nix ];

  networking.hostName = "electrum";
  users.users.cameron = {
    isNormalUser = true;
    extraGroups = [ "wheel" ];
    openssh.authorizedKeys.keys = [
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHk2cE3Wq8t0V9yJm4pB1sLrXfG7dQzN5aUoKx2hTcYe cameron@rosegold"
    ];
  };

  services.nginx = {
    enable = true;
    recommendedTlsSettings = true;
    virtualHosts."demo.example.org".enableACME = true;
  };
  security.acme.acceptTerms = true;
  security.acme.defaults.email = "ops@example.org";
  networking.firewall.allowedTCPPorts = [ 80 443 ];
}
