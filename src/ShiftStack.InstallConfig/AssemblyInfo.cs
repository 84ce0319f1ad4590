namespace ShiftStack.InstallConfig;
