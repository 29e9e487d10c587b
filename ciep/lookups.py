"""Query lookups of the portal's own."""

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    """``__in`` on a whole-number column, leaving out the values no such column can hold.

    Django leaves them out of ``exact``, ``lt``, ``gte`` and the like, but not of ``in``, where
    SQLite raises ``OverflowError`` for a value beyond 64 bits: a multiple choice of ids in a
    form (``ModelMultipleChoiceField``) filters ``pk__in`` with whatever was sent, so an id
    typed as ``99999999999999999999999`` answered 500 instead of "not one of the choices".
    Such a value matches no row, so leaving it out changes no answer.
    """

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)
