# raquel: everyday use of blackphos.
{ pkgs, ... }:
{
  programs.git.settings.user = {
    name = "Raquel";
    email = "raquel@example.org";
  };
  programs.zsh.shellAliases.ll = "ls -lh";
  home.packages = with pkgs; [ imagemagick yt-dlp ];
}
