namespace Butterfly.Scripting;

/// <summary>Something a run asks the server to do; applied only when the run succeeded, all in one transaction.</summary>
public abstract record ScriptEffect;
