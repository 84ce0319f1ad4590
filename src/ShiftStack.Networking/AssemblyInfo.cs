namespace ShiftStack.Networking;
