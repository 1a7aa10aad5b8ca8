"""Decided approval to-dos are kept as done (archived): the type says so in the activity views."""


def migrate(cr, version):
    cr.execute("""
        UPDATE mail_activity_type t SET keep_done = TRUE
          FROM ir_model_data d
         WHERE d.module = 'social_scheme' AND d.name = 'mail_activity_type_approval'
           AND d.model = 'mail.activity.type' AND d.res_id = t.id
    """)
