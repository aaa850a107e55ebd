"""The workspace admin writes clients and people through their services (actor user), and a delete the
service refuses (409: still in use) is shown as an error, with nothing changed."""

from apps.activity.models import Log
from apps.people.models import Client, Person
from tests.fixtures.admin import admin_page, admin_saved

CLIENT = {"name": "Liberty Hotel", "status": "active", "notes": "", "metadata": "{}",
          "people-TOTAL_FORMS": "0", "people-INITIAL_FORMS": "0"}
PERSON = {"name": "Patrick Smith", "email": "", "phone": "", "title": "", "company": "", "client": "",
          "relationship": "", "relationship_to_user": "", "political_context": "", "communication_notes": "",
          "last_contact_0": "", "last_contact_1": "", "next_follow_up_0": "", "next_follow_up_1": "",
          "context_notes": "", "metadata": "{}"}


def test_clients_are_written_through_their_services_and_one_in_use_is_not_deleted(tenant_a, admin_client):
    admin_saved(admin_client.post("/admin/people/client/add/", CLIENT))
    with tenant_a.schema():
        client = Client.objects.get(name="Liberty Hotel")
        assert Log.objects.get(action="client.created", entity_id=client.pk).actor == "user"
    admin_saved(admin_client.post(f"/admin/people/client/{client.pk}/change/", {**CLIENT, "status": "archived"}))
    admin_saved(admin_client.post("/admin/people/person/add/", {**PERSON, "client": str(client.pk)}))
    page = admin_page(admin_client.post(f"/admin/people/client/{client.pk}/delete/", {"post": "yes"}, follow=True))
    assert "Client 'Liberty Hotel' still has 1 person" in page
    with tenant_a.schema():
        person = Person.objects.get(name="Patrick Smith")
        assert person.client_id == client.pk and Client.objects.get(pk=client.pk).status == "archived"
        assert Log.objects.get(action="client.updated", entity_id=client.pk).details["fields"] == ["status"]
        log = Log.objects.get(action="person.created", entity_id=person.pk)
        assert log.actor == "user" and log.details["client_id"] == str(client.pk)
        assert not Log.objects.filter(action="client.deleted").exists()


def test_the_client_page_lists_its_people_but_does_not_write_them(tenant_a, admin_client):
    client = tenant_a.make("people.client")
    person = tenant_a.make("people.person", client=client, name="Mary Jones")
    page = admin_page(admin_client.get(f"/admin/people/client/{client.pk}/change/"))
    assert "Mary Jones" in page and 'name="people-0-name"' not in page
    admin_saved(admin_client.post(f"/admin/people/client/{client.pk}/change/", {
        **CLIENT, "name": client.name, "people-TOTAL_FORMS": "1", "people-INITIAL_FORMS": "0",
        "people-0-name": "Sneaked in", "people-0-email": "", "people-0-title": "", "people-0-relationship": ""}))
    with tenant_a.schema():
        assert list(Person.objects.values_list("pk", flat=True)) == [person.pk]


def test_people_are_updated_and_deleted_through_their_services_unless_on_open_work(tenant_a, admin_client):
    busy = tenant_a.make("people.person", name="Patrick Smith")
    free = tenant_a.make("people.person", name="Mary Jones")
    tenant_a.make("tasks.task_person", task=tenant_a.make("tasks.task", title="Pilot review"), person=busy)
    admin_saved(admin_client.post(f"/admin/people/person/{free.pk}/change/", {**PERSON, "name": "Mary Jones",
                                                                         "title": "CFO"}))
    response = admin_client.post("/admin/people/person/", {"action": "delete_selected", "post": "yes",
                                                          "_selected_action": [str(busy.pk), str(free.pk)]}, follow=True)
    page = admin_page(response)
    assert "Cannot delete 'Patrick Smith': they are on open task 'Pilot review'" in page and "Deleted: 1." in page
    with tenant_a.schema():
        assert list(Person.objects.values_list("name", flat=True)) == ["Patrick Smith"]
        log = Log.objects.get(action="person.updated", entity_id=free.pk)
        assert log.actor == "user" and log.details["fields"] == ["title"]
        assert Log.objects.get(action="person.deleted", entity_id=free.pk).actor == "user"
        assert not Log.objects.filter(action="person.deleted", entity_id=busy.pk).exists()
