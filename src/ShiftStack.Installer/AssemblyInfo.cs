namespace ShiftStack.Installer;
