/*
 * notify.h - change notification: per-registration sets of changed
 * destinations (RtmRegisterForChangeNotification and the functions after it).
 *
 * The route code classifies every change of a destination per view
 * (RTM_CHANGE_TYPE_ALL / BEST / FORWARDING, spec functions-2 §3.0) and hands
 * the result here, under the table's write lock; recording costs
 * O(registrations of the table), never O(table).
 */
#ifndef RTM_NOTIFY_H
#define RTM_NOTIFY_H

#include "dest.h"

/* record a change of d; change[v] holds the RTM_CHANGE_TYPE_* bits of view v */
void notify_dest_changed(rtm_table *t, dest *d, const DWORD change[RTM_NUMBER_OF_VIEWS]);
/* close every registration of e (deregistration), dropping their entries and marks */
void notify_entity_closing(rtm_table *t, entity *e);

#endif
