"""Admin access to personal data: superusers only.

Organisers and other staff may be given access to requests and subscribers for the counts and the
failures, but never to a name, an address or a letter: not in the list, the change form, the
search box, nor through a lookup in the URL (?email__startswith=a would let them guess addresses
one letter at a time).
"""

from django.contrib import admin
from django.db.models.constants import LOOKUP_SEP


class PersonalFieldsForSuperusersOnly(admin.ModelAdmin):
    personal_fields: tuple[str, ...] = ()
    # Extra list columns and search fields for superusers, on top of list_display and search_fields.
    personal_list_display: tuple[str, ...] = ()
    personal_search_fields: tuple[str, ...] = ()

    def sees_personal_data(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        if not self.sees_personal_data(request):
            exclude += self.personal_fields
        return exclude

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if self.sees_personal_data(request):
            return fields
        return [field for field in fields if field not in self.personal_fields]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if self.sees_personal_data(request):
            return readonly
        return [field for field in readonly if field not in self.personal_fields]

    def get_list_display(self, request):
        list_display = list(super().get_list_display(request))
        if self.sees_personal_data(request):
            list_display += self.personal_list_display
        return list_display

    def get_search_fields(self, request):
        search_fields = list(super().get_search_fields(request))
        if self.sees_personal_data(request):
            search_fields += self.personal_search_fields
        return search_fields

    def lookup_allowed(self, lookup, value, request=None):
        field = lookup.lstrip("-").split(LOOKUP_SEP)[0]
        if field in self.personal_fields and (request is None or not self.sees_personal_data(request)):
            return False
        return super().lookup_allowed(lookup, value, request)
