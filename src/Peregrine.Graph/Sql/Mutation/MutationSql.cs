using Peregrine.Graph.Ir;
using Peregrine.Graph.Sql.Delete;
using Peregrine.Graph.Sql.Insert;
using Peregrine.Graph.Sql.Update;

namespace Peregrine.Graph.Sql.Mutation;

public static class MutationSql
{
    public static MutationPlan Compile(MutationIr ir) => ir.Action switch
    {
        InsertIr insert => InsertSql.Compile(ir, insert),
        UpdateIr update => UpdateSql.Compile(ir, update),
        DeleteIr delete => new MutationPlan(DeleteSql.Compile(ir, delete), null),
        _ => throw new NotSupportedException(ir.Action.GetType().Name)
    };
}
