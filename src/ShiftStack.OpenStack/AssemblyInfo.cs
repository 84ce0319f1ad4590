namespace ShiftStack.OpenStack;
