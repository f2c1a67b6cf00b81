# janettesmith: standalone home on rosegold (no admin rights there).
{ pkgs, ... }:
{
  programs.git.settings.user = {
    name = "Janette Smith";
    email = "janette@example.org";
  };
  programs.vscode.enable = true;
  home.packages = with pkgs; [ python3 pandoc ];
}
