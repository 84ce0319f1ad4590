using ShiftStack.Installer.Provisioning;

namespace ShiftStack.IntegrationTests.Reliability;

/// <summary>Progress as lines: each completed step ("done ..."), failure ("FAILED ...") and message.</summary>
internal sealed class MessageLog : IProgressSink
{
    public List<string> Lines { get; } = [];

    public void Started(string id, string summary)
    {
    }

    public void Completed(string id, string message)
    {
        lock (Lines)
        {
            Lines.Add("done " + message);
        }
    }

    public void Failed(string id, string summary, string error)
    {
        lock (Lines)
        {
            Lines.Add("FAILED " + summary + ": " + error);
        }
    }

    public void Message(string text)
    {
        lock (Lines)
        {
            Lines.Add(text);
        }
    }
}
