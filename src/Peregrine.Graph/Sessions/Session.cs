namespace Peregrine.Graph.Sessions;

/// <summary>
/// Who is asking: the role and the <c>x-hasura-*</c> session variables. No HTTP types past this point. A room of its
/// own, depending on nothing: Auth makes it, and Metadata, Schema, Ir and Sql all take it without depending on each other.
/// </summary>
public sealed record Session(string Role, IReadOnlyDictionary<string, string> Variables)
{
    public const string AdminRole = "admin";
    public static readonly Session Admin = new(AdminRole, new Dictionary<string, string>());
    public bool IsAdmin => Role == AdminRole;
}
