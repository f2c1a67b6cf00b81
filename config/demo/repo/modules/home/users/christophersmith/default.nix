# christophersmith: standalone home on argentum (no admin rights there).
{ pkgs, ... }:
{
  programs.git.settings.user = {
    name = "Christopher Smith";
    email = "christopher@example.org";
  };
  programs.helix.enable = true;
  home.packages = with pkgs; [ nodejs go ];
}
