# placeholder: initramfs, launcher (owned by the tools work)
