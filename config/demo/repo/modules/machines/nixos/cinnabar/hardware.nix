# Disk layout and kernel modules of cinnabar (disko).
{
  boot.initrd.availableKernelModules = [ "virtio_pci" "virtio_scsi" ];
  boot.loader.systemd-boot.enable = true;

  disko.devices.disk.main = {
    device = "/dev/sda";
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
