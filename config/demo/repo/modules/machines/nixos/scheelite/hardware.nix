# Disk layout and kernel modules of scheelite (disko).
{
  boot.initrd.availableKernelModules = [ "nvme" "ahci" ];
  boot.loader.systemd-boot.enable = true;

  disko.devices.disk.main = {
    device = "/dev/nvme0n1";
    type = "disk";
    content = {
      type = "gpt";
      partitions.ESP = {
        size = "512M";
        type = "EF00";
        content = { type = "filesystem"; format = "vfat"; mountpoint = "/boot"; };
      };
      partitions.root = {
        size = "100%";
        content = { type = "filesystem"; format = "ext4"; mountpoint = "/"; };
      };
    };
  };
}
