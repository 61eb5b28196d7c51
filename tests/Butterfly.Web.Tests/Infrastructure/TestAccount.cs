namespace Butterfly.Web.Tests.Infrastructure;

/// <summary>An account the test registered on the daemon.</summary>
/// <param name="Address">Its address (the login name).</param>
/// <param name="Password">Its password.</param>
public sealed record TestAccount(string Address, string Password);
