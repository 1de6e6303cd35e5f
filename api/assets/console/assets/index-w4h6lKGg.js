var De,O,An,se,rn,xn,Rn,qe,_e,pe,In,je,Be,Ee,Pn,Ce={},Se=[],Xn=/acit|ex(?:s|g|n|p|$)|rph|grid|ows|mnc|ntw|ine[ch]|zoo|^ord|itera/i,Te=Array.isArray;function ee(n,t){for(var r in t)n[r]=t[r];return n}function Je(n){n&&n.parentNode&&n.parentNode.removeChild(n)}function Zn(n,t,r){var s,i,a,l={};for(a in t)a=="key"?s=t[a]:a=="ref"?i=t[a]:l[a]=t[a];if(arguments.length>2&&(l.children=arguments.length>3?De.call(arguments,2):r),typeof n=="function"&&n.defaultProps!=null)for(a in n.defaultProps)l[a]===void 0&&(l[a]=n.defaultProps[a]);return we(n,l,s,i,null)}function we(n,t,r,s,i){var a={type:n,props:t,key:r,ref:s,__k:null,__:null,__b:0,__e:null,__c:null,constructor:void 0,__v:i??++An,__i:-1,__u:0};return i==null&&O.vnode!=null&&O.vnode(a),a}function V(n){return n.children}function $e(n,t){this.props=n,this.context=t}function ae(n,t){if(t==null)return n.__?ae(n.__,n.__i+1):null;for(var r;t<n.__k.length;t++)if((r=n.__k[t])!=null&&r.__e!=null)return r.__e;return typeof n.type=="function"?ae(n):null}function et(n){if(n.__P&&n.__d){var t=n.__v,r=t.__e,s=[],i=[],a=ee({},t);a.__v=t.__v+1,O.vnode&&O.vnode(a),Qe(n.__P,a,t,n.__n,n.__P.namespaceURI,32&t.__u?[r]:null,s,r??ae(t),!!(32&t.__u),i),a.__v=t.__v,a.__.__k[a.__i]=a,On(s,a,i),t.__e=t.__=null,a.__e!=r&&Dn(a)}}function Dn(n){if((n=n.__)!=null&&n.__c!=null)return n.__e=n.__c.base=null,n.__k.some(function(t){if(t!=null&&t.__e!=null)return n.__e=n.__c.base=t.__e}),Dn(n)}function Fe(n){(!n.__d&&(n.__d=!0)&&se.push(n)&&!Ae.__r++||rn!=O.debounceRendering)&&((rn=O.debounceRendering)||xn)(Ae)}function Ae(){try{for(var n,t=1;se.length;)se.length>t&&se.sort(Rn),n=se.shift(),t=se.length,et(n)}finally{se.length=Ae.__r=0}}function Tn(n,t,r,s,i,a,l,p,c,u,f){var h,d,o,m,v,k,I=s&&s.__k||Se,w=t.length;for(c=nt(r,t,I,c,w),h=0;h<w;h++)(o=r.__k[h])!=null&&(d=o.__i!=-1&&I[o.__i]||Ce,o.__i=h,k=Qe(n,o,d,i,a,l,p,c,u,f),m=o.__e,o.ref&&d.ref!=o.ref&&(d.ref&&Ye(d.ref,null,o),f.push(o.ref,o.__c||m,o)),v==null&&m!=null&&(v=m),4&o.__u?(c=Nn(o,c,n),d.__e&&(d.__e=null)):typeof o.type=="function"&&k!==void 0?c=k:m&&(c=m.nextSibling),o.__u&=-7);return r.__e=v,c}function nt(n,t,r,s,i){var a,l,p,c,u,f=r.length,h=f,d=0;for(n.__k=new Array(i),a=0;a<i;a++)(l=t[a])!=null&&typeof l!="boolean"&&typeof l!="function"?(typeof l=="string"||typeof l=="number"||typeof l=="bigint"||l.constructor==String?l=n.__k[a]=we(null,l,null,null,null):Te(l)?l=n.__k[a]=we(V,{children:l},null,null,null):l.constructor===void 0&&l.__b>0?l=n.__k[a]=we(l.type,l.props,l.key,l.ref?l.ref:null,l.__v):n.__k[a]=l,c=a+d,l.__=n,l.__b=n.__b+1,p=null,(u=l.__i=tt(l,r,c,h))!=-1&&(h--,(p=r[u])&&(p.__u|=2)),p==null||p.__v==null?(u==-1&&(i>f?d--:i<f&&d++),typeof l.type!="function"&&(l.__u|=4)):u!=c&&(u==c-1?d--:u==c+1?d++:(u>c?d--:d++,l.__u|=4))):n.__k[a]=null;if(h)for(a=0;a<f;a++)(p=r[a])!=null&&(2&p.__u)==0&&(p.__e==s&&(s=ae(p)),Un(p,p));return s}function Nn(n,t,r){var s,i;if(typeof n.type=="function"){for(s=n.__k,i=0;s&&i<s.length;i++)s[i]&&(s[i].__=n,t=Nn(s[i],t,r));return t}n.__e!=t&&(t&&n.type&&!t.parentNode&&(t=ae(n)),t=r.insertBefore(n.__e,t||null));do t=t&&t.nextSibling;while(t!=null&&t.nodeType==8);return t}function tt(n,t,r,s){var i,a,l,p=n.key,c=n.type,u=t[r],f=u!=null&&(2&u.__u)==0;if(u===null&&p==null||f&&p==u.key&&c==u.type)return r;if(s>(f?1:0)){for(i=r-1,a=r+1;i>=0||a<t.length;)if((u=t[l=i>=0?i--:a++])!=null&&(2&u.__u)==0&&p==u.key&&c==u.type)return l}return-1}function sn(n,t,r){t[0]=="-"?n.setProperty(t,r??""):n[t]=r==null?"":typeof r!="number"||Xn.test(t)?r:r+"px"}function ve(n,t,r,s,i){var a,l;e:if(t=="style")if(typeof r=="string")n.style.cssText=r;else{if(typeof s=="string"&&(n.style.cssText=s=""),s)for(t in s)r&&t in r||sn(n.style,t,"");if(r)for(t in r)s&&r[t]==s[t]||sn(n.style,t,r[t])}else if(t[0]=="o"&&t[1]=="n")a=t!=(t=t.replace(In,"$1")),l=t.toLowerCase(),t=l in n||t=="onFocusOut"||t=="onFocusIn"?l.slice(2):t.slice(2),n.l||(n.l={}),n.l[t+a]=r,r?s?r[pe]=s[pe]:(r[pe]=je,n.addEventListener(t,a?Ee:Be,a)):n.removeEventListener(t,a?Ee:Be,a);else{if(i=="http://www.w3.org/2000/svg")t=t.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if(t!="width"&&t!="height"&&t!="href"&&t!="list"&&t!="form"&&t!="tabIndex"&&t!="download"&&t!="rowSpan"&&t!="colSpan"&&t!="role"&&t!="popover"&&t in n)try{n[t]=r??"";break e}catch{}typeof r=="function"||(r==null||r===!1&&t[4]!="-"?n.removeAttribute(t):n.setAttribute(t,t=="popover"&&r==1?"":r))}}function an(n){return function(t){if(this.l){var r=this.l[t.type+n];if(t[_e]==null)t[_e]=je++;else if(t[_e]<r[pe])return;return r(O.event?O.event(t):t)}}}function Qe(n,t,r,s,i,a,l,p,c,u){var f,h,d,o,m,v,k,I,w,y,b,S,g,R,L,Y,H=t.type;if(t.constructor!==void 0)return null;128&r.__u&&(c=!!(32&r.__u),a=[p=t.__e=r.__e]),(f=O.__b)&&f(t);e:if(typeof H=="function"){h=l.length;try{if(w=t.props,y=H.prototype&&H.prototype.render,b=(f=H.contextType)&&s[f.__c],S=f?b?b.props.value:f.__:s,r.__c?I=(d=t.__c=r.__c).__=d.__E:(y?t.__c=d=new H(w,S):(t.__c=d=new $e(w,S),d.constructor=H,d.render=st),b&&b.sub(d),d.state||(d.state={}),d.__n=s,o=d.__d=!0,d.__h=[],d._sb=[]),y&&d.__s==null&&(d.__s=d.state),y&&H.getDerivedStateFromProps!=null&&(d.__s==d.state&&(d.__s=ee({},d.__s)),ee(d.__s,H.getDerivedStateFromProps(w,d.__s))),m=d.props,v=d.state,d.__v=t,o)y&&H.getDerivedStateFromProps==null&&d.componentWillMount!=null&&d.componentWillMount(),y&&d.componentDidMount!=null&&d.__h.push(d.componentDidMount);else{if(y&&H.getDerivedStateFromProps==null&&w!==m&&d.componentWillReceiveProps!=null&&d.componentWillReceiveProps(w,S),t.__v==r.__v||!d.__e&&d.shouldComponentUpdate!=null&&d.shouldComponentUpdate(w,d.__s,S)===!1){t.__v!=r.__v&&(d.props=w,d.state=d.__s,d.__d=!1),t.__e=r.__e,t.__k=r.__k,t.__k.some(function(A){A&&(A.__=t)}),Se.push.apply(d.__h,d._sb),d._sb=[],d.__h.length&&l.push(d),p=ae(r);break e}d.componentWillUpdate!=null&&d.componentWillUpdate(w,d.__s,S),y&&d.componentDidUpdate!=null&&d.__h.push(function(){d.componentDidUpdate(m,v,k)})}if(d.context=S,d.props=w,d.__P=n,d.__e=!1,g=O.__r,R=0,y)d.state=d.__s,d.__d=!1,g&&g(t),f=d.render(d.props,d.state,d.context),Se.push.apply(d.__h,d._sb),d._sb=[];else do d.__d=!1,g&&g(t),f=d.render(d.props,d.state,d.context),d.state=d.__s;while(d.__d&&++R<25);d.state=d.__s,d.getChildContext!=null&&(s=ee(ee({},s),d.getChildContext())),y&&!o&&d.getSnapshotBeforeUpdate!=null&&(k=d.getSnapshotBeforeUpdate(m,v)),L=f!=null&&f.type===V&&f.key==null?qn(f.props.children):f,p=Tn(n,Te(L)?L:[L],t,r,s,i,a,l,p,c,u),d.base=t.__e,t.__u&=-161,d.__h.length&&l.push(d),I&&(d.__E=d.__=null)}catch(A){if(l.length=h,t.__v=null,c||a!=null){if(A.then){for(t.__u|=c?160:128;p&&p.nodeType==8&&p.nextSibling;)p=p.nextSibling;a!=null&&(a[a.indexOf(p)]=null),t.__e=p}else if(a!=null)for(Y=a.length;Y--;)Je(a[Y])}else t.__e=r.__e;t.__k==null&&(t.__k=r.__k||[]),A.then||Mn(t),O.__e(A,t,r)}}else a==null&&t.__v==r.__v?(t.__k=r.__k,t.__e=r.__e):p=t.__e=rt(r.__e,t,r,s,i,a,l,c,u);return(f=O.diffed)&&f(t),128&t.__u?void 0:p}function Mn(n){n&&(n.__c&&(n.__c.__e=!0),n.__k&&n.__k.some(Mn))}function On(n,t,r){for(var s=0;s<r.length;s++)Ye(r[s],r[++s],r[++s]);O.__c&&O.__c(t,n),n.some(function(i){try{n=i.__h,i.__h=[],n.some(function(a){a.call(i)})}catch(a){O.__e(a,i.__v)}})}function qn(n){return typeof n!="object"||n==null||n.__b>0?n:Te(n)?n.map(qn):n.constructor!==void 0?null:ee({},n)}function rt(n,t,r,s,i,a,l,p,c){var u,f,h,d,o,m,v,k=r.props||Ce,I=t.props,w=t.type;if(w=="svg"?i="http://www.w3.org/2000/svg":w=="math"?i="http://www.w3.org/1998/Math/MathML":i||(i="http://www.w3.org/1999/xhtml"),a!=null){for(u=0;u<a.length;u++)if((o=a[u])&&"setAttribute"in o==!!w&&(w?o.localName==w:o.nodeType==3)){n=o,a[u]=null;break}}if(n==null){if(w==null)return document.createTextNode(I);n=document.createElementNS(i,w,I.is&&I),p&&(O.__m&&O.__m(t,a),p=!1),a=null}if(w==null)k===I||p&&n.data==I||(n.data=I);else{if(a=w=="textarea"&&I.defaultValue!=null?null:a&&De.call(n.childNodes),!p&&a!=null)for(k={},u=0;u<n.attributes.length;u++)k[(o=n.attributes[u]).name]=o.value;for(u in k)o=k[u],u=="dangerouslySetInnerHTML"?h=o:u=="children"||u in I||u=="value"&&"defaultValue"in I||u=="checked"&&"defaultChecked"in I||ve(n,u,null,o,i);for(u in I)o=I[u],u=="children"?d=o:u=="dangerouslySetInnerHTML"?f=o:u=="value"?m=o:u=="checked"?v=o:p&&typeof o!="function"||k[u]===o||ve(n,u,o,k[u],i);if(f)p||h&&(f.__html==h.__html||f.__html==n.innerHTML)||(n.innerHTML=f.__html),t.__k=[];else if(h&&(n.innerHTML=""),Tn(t.type=="template"?n.content:n,Te(d)?d:[d],t,r,s,w=="foreignObject"?"http://www.w3.org/1999/xhtml":i,a,l,a?a[0]:r.__k&&ae(r,0),p,c),a!=null)for(u=a.length;u--;)Je(a[u]);p&&w!="textarea"||(u="value",w=="progress"&&m==null?n.removeAttribute("value"):m!=null&&(m!==n[u]||w=="progress"&&!m||w=="option"&&m!=k[u])&&ve(n,u,m,k[u],i),u="checked",v!=null&&v!=n[u]&&ve(n,u,v,k[u],i))}return n}function Ye(n,t,r){try{if(typeof n=="function"){var s=typeof n.__u=="function";s&&n.__u(),s&&t==null||(n.__u=n(t))}else n.current=t}catch(i){O.__e(i,r)}}function Un(n,t,r){var s,i;if(O.unmount&&O.unmount(n),(s=n.ref)&&(s.current&&s.current!=n.__e||Ye(s,null,t)),(s=n.__c)!=null){if(s.componentWillUnmount)try{s.componentWillUnmount()}catch(a){O.__e(a,t)}s.base=s.__P=s.__n=null}if(s=n.__k)for(i=0;i<s.length;i++)s[i]&&Un(s[i],t,r||typeof n.type!="function");r||Je(n.__e),n.__c=n.__=n.__e=void 0}function st(n,t,r){return this.constructor(n,r)}function it(n,t,r){var s,i,a,l;t==document&&(t=document.documentElement),O.__&&O.__(n,t),i=(s=!1)?null:t.__k,a=[],l=[],Qe(t,n=t.__k=Zn(V,null,[n]),i||Ce,Ce,t.namespaceURI,i?null:t.firstChild?De.call(t.childNodes):null,a,i?i.__e:t.firstChild,s,l),On(a,n,l),n.props.children=null}function at(n){function t(r){var s,i;return this.getChildContext||(s=new Set,(i={})[t.__c]=this,this.getChildContext=function(){return i},this.componentWillUnmount=function(){s=null},this.shouldComponentUpdate=function(a){this.props.value!=a.value&&s.forEach(function(l){l.__e=!0,Fe(l)})},this.sub=function(a){s.add(a);var l=a.componentWillUnmount;a.componentWillUnmount=function(){s&&s.delete(a),l&&l.call(a)}}),r.children}return t.__c="__cC"+Pn++,t.__=n,t.Provider=t.__l=(t.Consumer=function(r,s){return r.children(s)}).contextType=t,t}De=Se.slice,O={__e:function(n,t,r,s){for(var i,a,l;t=t.__;)if((i=t.__c)&&!i.__)try{if((a=i.constructor)&&a.getDerivedStateFromError!=null&&(i.setState(a.getDerivedStateFromError(n)),l=i.__d),i.componentDidCatch!=null&&(i.componentDidCatch(n,s||{}),l=i.__d),l)return i.__E=i}catch(p){n=p}throw n}},An=0,$e.prototype.setState=function(n,t){var r;r=this.__s!=null&&this.__s!=this.state?this.__s:this.__s=ee({},this.state),typeof n=="function"&&(n=n(ee({},r),this.props)),n&&ee(r,n),n!=null&&this.__v&&(t&&this._sb.push(t),Fe(this))},$e.prototype.forceUpdate=function(n){this.__v&&(this.__e=!0,n&&this.__h.push(n),Fe(this))},$e.prototype.render=V,se=[],xn=typeof Promise=="function"?Promise.prototype.then.bind(Promise.resolve()):setTimeout,Rn=function(n,t){return n.__v.__b-t.__v.__b},Ae.__r=0,qe=Math.random().toString(8),_e="__d"+qe,pe="__a"+qe,In=/(PointerCapture)$|Capture$/i,je=0,Be=an(!1),Ee=an(!0),Pn=0;var ot=0;function e(n,t,r,s,i,a){t||(t={});var l,p,c=t;if("ref"in c)for(p in c={},t)p=="ref"?l=t[p]:c[p]=t[p];var u={type:n,props:c,key:r,ref:l,__k:null,__:null,__b:0,__e:null,__c:null,constructor:void 0,__v:--ot,__i:-1,__u:0,__source:i,__self:a};if(typeof n=="function"&&(l=n.defaultProps))for(p in l)c[p]===void 0&&(c[p]=l[p]);return O.vnode&&O.vnode(u),u}var ce,U,Ue,on,fe=0,Ln=[],E=O,ln=E.__b,cn=E.__r,dn=E.diffed,un=E.__c,hn=E.unmount,mn=E.__;function Ne(n,t){E.__h&&E.__h(U,n,fe||t),fe=0;var r=U.__H||(U.__H={__:[],__h:[]});return n>=r.__.length&&r.__.push({}),r.__[n]}function _(n){return fe=1,lt(Fn,n)}function lt(n,t,r){var s=Ne(ce++,2);if(s.t=n,!s.__c&&(s.__=[Fn(void 0,t),function(p){var c=s.__N?s.__N[0]:s.__[0],u=s.t(c,p);c!==u&&(s.__N=[u,s.__[1]],s.__c.setState({}))}],s.__c=U,!U.__f)){var i=function(p,c,u){if(!s.__c.__H)return!0;var f=!1,h=s.__c.props!==p;if(s.__c.__H.__.some(function(o){if(o.__N){f=!0;var m=o.__[0];o.__=o.__N,o.__N=void 0,m!==o.__[0]&&(h=!0)}}),a){var d=a.call(this,p,c,u);return f?d||h:d}return!f||h};U.__f=!0;var a=U.shouldComponentUpdate,l=U.componentWillUpdate;U.componentWillUpdate=function(p,c,u){if(this.__e){var f=a;a=void 0,i(p,c,u),a=f}l&&l.call(this,p,c,u)},U.shouldComponentUpdate=i}return s.__N||s.__}function Z(n,t){var r=Ne(ce++,3);!E.__s&&En(r.__H,t)&&(r.__=n,r.u=t,U.__H.__h.push(r))}function me(n){return fe=5,Bn(function(){return{current:n}},[])}function Bn(n,t){var r=Ne(ce++,7);return En(r.__H,t)&&(r.__=n(),r.__H=t,r.__h=n),r.__}function ct(n,t){return fe=8,Bn(function(){return n},t)}function dt(n){var t=U.context[n.__c],r=Ne(ce++,9);return r.c=n,t?(r.__==null&&(r.__=!0,t.sub(U)),t.props.value):n.__}function ut(){for(var n;n=Ln.shift();){var t=n.__H;if(n.__P&&t)try{t.__h.some(ke),t.__h.some(Ke),t.__h=[]}catch(r){t.__h=[],E.__e(r,n.__v)}}}E.__b=function(n){U=null,ln&&ln(n)},E.__=function(n,t){n&&t.__k&&t.__k.__m&&(n.__m=t.__k.__m),mn&&mn(n,t)},E.__r=function(n){cn&&cn(n),ce=0;var t=(U=n.__c).__H;t&&(Ue===U?(t.__h=[],U.__h=[],t.__.some(function(r){r.__N&&(r.__=r.__N),r.u=r.__N=void 0})):(t.__h.some(ke),t.__h.some(Ke),t.__h=[],ce=0)),Ue=U},E.diffed=function(n){dn&&dn(n);var t=n.__c;t&&t.__H&&(t.__H.__h.length&&(Ln.push(t)!==1&&on===E.requestAnimationFrame||((on=E.requestAnimationFrame)||ht)(ut)),t.__H.__.some(function(r){r.u&&(r.__H=r.u,r.u=void 0)})),Ue=U=null},E.__c=function(n,t){t.some(function(r){try{r.__h.some(ke),r.__h=r.__h.filter(function(s){return!s.__||Ke(s)})}catch(s){t.some(function(i){i.__h&&(i.__h=[])}),t=[],E.__e(s,r.__v)}}),un&&un(n,t)},E.unmount=function(n){hn&&hn(n);var t,r=n.__c;r&&r.__H&&(r.__H.__.some(function(s){try{ke(s)}catch(i){t=i}}),r.__H=void 0,t&&E.__e(t,r.__v))};var pn=typeof requestAnimationFrame=="function";function ht(n){var t,r=function(){clearTimeout(s),pn&&cancelAnimationFrame(t),setTimeout(n)},s=setTimeout(r,35);pn&&(t=requestAnimationFrame(r))}function ke(n){var t=U,r=n.__c;typeof r=="function"&&(n.__c=void 0,r()),U=t}function Ke(n){var t=U;n.__c=n.__(),U=t}function En(n,t){return!n||n.length!==t.length||t.some(function(r,s){return r!==n[s]})}function Fn(n,t){return typeof t=="function"?t(n):t}const mt={network:"The server cannot be reached. Check your connection and try again.",invalid_credentials:"That e-mail and password do not match an account.",account_locked:"Too many wrong passwords: this account is locked for a short while. Try again later.",too_many_requests:"Too many requests in a short time. Wait a moment and try again.",rate_limited:"Too many requests in a short time. Wait a moment and try again.",unauthenticated:"Your session has ended. Please sign in again.",token_expired:"Your session has expired. Please sign in again.",session_ended:"You were signed out (the session was ended). Please sign in again.",refresh_token_reused:"This session was ended for safety because it was used from two places. Please sign in again.",forbidden:"Your role does not allow this.",missing_scope:"Your role does not allow this.",not_found:"This record no longer exists, or belongs to another workspace.",precondition_failed:"Someone else changed this record a moment ago (perhaps in another tab). Your change was not saved; the page now shows the latest version.",validation_failed:"Some values are not valid.",invalid_body:"Some values are not valid.",bad_user_input:"Some values are not valid.",idempotency_key_reused:"This request was already sent with other values.",database_busy:"The server is busy. Try again in a few seconds.",database_timeout:"The server took too long to answer. Try again in a few seconds.",database_unavailable:"The database is unavailable at the moment. Try again shortly.",model_not_fitted:"The value model has not been fitted yet, so there are no predictions.",internal_error:"Something went wrong on the server. Try again; if it persists, tell an administrator.",conflict:"This conflicts with the current state of the record.",concurrent_update:"Someone else changed this record a moment ago. Reload and try again.",already_exists:"A record with the same name or key already exists.",email_taken:"A user with this e-mail already exists.",role_not_grantable:"Your role cannot give that role to someone.",last_owner:"The workspace needs at least one active owner.",insufficient_scope:"Your role does not allow this.",complaint_closed:"This complaint is closed: reopen it before resolving it.",complaint_changed:"Someone else changed this complaint a moment ago. Reload it and try again.",invalid_status_transition:"The complaint cannot go to that status from the one it is in.",compensation_over_limit:"That compensation is more than your role may grant; ask a manager.",order_fully_refunded:"The complaint’s order is already fully refunded.",voucher_not_issued:"The voucher could not be issued to this customer.",voucher_already_held:"The customer already holds an open voucher of this offer.",voucher_not_open:"This voucher is no longer open.",offer_inactive:"The offer is paused: activate it first.",offer_ended:"The offer has ended.",offer_not_started:"The offer has not started yet.",offer_budget_exhausted:"The offer’s budget is spent.",offer_redemption_cap_reached:"The offer has reached its number of redemptions.",offer_not_eligible:"This customer does not meet the offer’s conditions."};function ne(n,t,r){const s=mt[n];if(n==="validation_failed"||n==="invalid_body"||n==="bad_user_input"){const i=r?` (${r})`:"";return t?`${fn(t)}${i}.`.replace(/\.\.$/,"."):`${s??""}${i}`}return s||(t?`${fn(t)}${t.endsWith(".")?"":"."}`:`The request failed (${n.replace(/_/g," ")}).`)}function fn(n){return n.charAt(0).toUpperCase()+n.slice(1)}let J=null,be=null;const xe=new Set;class X extends Error{constructor(t,r,s){super(r),this.code=t,this.field=s}code;field}function pt(n){return xe.add(n),()=>xe.delete(n)}function ft(){return J!==null}function Kn(n){J={access:n.access_token,refresh:n.refresh_token,expiresAt:Date.now()+Math.max(0,n.expires_in-60)*1e3}}function Ge(){const n=J!==null;J=null,n&&xe.forEach(t=>t(!1))}async function Me(n){let t=`http_${n.status}`,r="",s;try{const i=await n.json();t=i.code??t,r=i.detail??"",s=i.errors?.[0]?.field}catch{}return new X(t,ne(t,r,s),s)}async function Xe(n,t){try{return await fetch(n,{method:"POST",headers:{"content-type":"application/json",accept:"application/json"},body:JSON.stringify(t),credentials:"omit"})}catch{throw new X("network",ne("network","",void 0))}}async function yt(n,t){const r=await Xe("/v1/auth/token",{email:n,password:t});if(!r.ok)throw await Me(r);Kn(await r.json()),xe.forEach(s=>s(!0))}async function Re(){if(!J)throw new X("unauthenticated",ne("unauthenticated","",void 0));if(!be){const n=J.refresh;be=(async()=>{const t=await Xe("/v1/auth/refresh",{refresh_token:n});if(!t.ok){const r=await Me(t);throw Ge(),r}Kn(await t.json())})().finally(()=>{be=null})}return be}async function Vn(){const n=J;Ge(),n&&await Xe("/v1/auth/logout",{refresh_token:n.refresh}).catch(()=>{})}const yn=new Set(["unauthenticated","token_expired","session_ended"]);async function D(n,t){for(let r=0;;r++){if(!J)throw new X("unauthenticated",ne("unauthenticated","",void 0));Date.now()>=J.expiresAt&&await Re();const s=J?.access??"";let i;try{i=await fetch("/graphql",{method:"POST",headers:{"content-type":"application/json",accept:"application/json",authorization:`Bearer ${s}`},body:JSON.stringify({query:n.toString(),variables:t??{}}),credentials:"omit"})}catch{throw new X("network",ne("network","",void 0))}if(!i.ok)throw await Me(i);const a=await i.json(),l=a.errors?.[0];if(l){const p=l.extensions?.code??"internal_error";if(yn.has(p)&&r===0&&p!=="session_ended"){await Re();continue}throw yn.has(p)&&Ge(),new X(p,ne(p,l.message,l.extensions?.field))}if(a.data==null)throw new X("internal_error",ne("internal_error","",void 0));return a.data}}async function Wn(n,t){for(let r=0;;r++){if(!J)throw new X("unauthenticated",ne("unauthenticated","",void 0));Date.now()>=J.expiresAt&&await Re();let s;try{s=await fetch(n,{headers:{authorization:`Bearer ${J?.access??""}`},credentials:"omit"})}catch{throw new X("network",ne("network","",void 0))}if(s.status===401&&r===0){await Re();continue}if(!s.ok)throw await Me(s);const i=await s.blob(),a=URL.createObjectURL(i),l=document.createElement("a");return l.href=a,l.download=t,l.hidden=!0,document.body.appendChild(l),l.click(),l.remove(),setTimeout(()=>URL.revokeObjectURL(a),6e4),i.size}}function re(){return crypto.randomUUID()}let Ze="EUR";function j(n){return typeof n=="number"?n:Number(n)}function gt(n){Ze=n}function C(n,t=Ze){if(n==null)return"—";try{return new Intl.NumberFormat("en-GB",{style:"currency",currency:t}).format(j(n)/100)}catch{return`${(j(n)/100).toFixed(2)} ${t}`}}function te(n,t=Ze){try{return new Intl.NumberFormat("en-GB",{style:"currency",currency:t,notation:"compact",maximumFractionDigits:1}).format(j(n)/100)}catch{return`${Math.round(j(n)/100)} ${t}`}}function q(n,t=0){return n==null||Number.isNaN(n)?"—":`${(n*100).toFixed(t)} %`}function $(n){return new Intl.NumberFormat("en-GB").format(j(n))}function M(n){if(!n)return"—";const t=new Date(n);return Number.isNaN(t.getTime())?n:t.toLocaleDateString("en-GB",{day:"numeric",month:"short",year:"numeric",timeZone:"UTC"})}function Hn(n){if(!n)return"—";const t=Math.floor((Date.now()-new Date(n).getTime())/864e5);if(t<=0)return"today";if(t===1)return"yesterday";if(t<60)return`${t} days ago`;const r=Math.round(t/30.4);return r<24?`${r} months ago`:`${Math.round(t/365)} years ago`}function x(n){if(!n)return"—";const t=n.replace(/_/g," ");return t.charAt(0).toUpperCase()+t.slice(1)}class P extends String{__apiType;value;__meta__;constructor(t,r){super(t),this.value=t,this.__meta__=r}toString(){return this.value}}new P(`
    fragment ArmComparisonParts on ArmComparison {
  group
  incrementalRevenue
  incrementalMargin
  significance
  treatment {
    members
    buyers
    conversionRate
    revenuePerMember
  }
  control {
    members
    buyers
    conversionRate
    revenuePerMember
  }
  conversionUplift {
    difference
    relative
    ciLow
    ciHigh
    pValue
    significance
  }
}
    `,{fragmentName:"ArmComparisonParts"});new P(`
    fragment AccountProfitRow on AccountProfit {
  accountId
  name
  rfmSegment
  revenue
  margin
  acquisitionCost
  costToServe
  profit
}
    `,{fragmentName:"AccountProfitRow"});new P(`
    fragment ComplaintRow on Complaint {
  id
  accountId
  subject
  category
  severity
  status
  openedAt
  resolutionDueAt
  firstResponseBreached
  resolutionBreached
}
    `,{fragmentName:"ComplaintRow"});new P(`
    fragment ScoreParts on Scores {
  npsResponses
  promoters
  passives
  detractors
  nps
  npsLow
  npsHigh
  csatResponses
  csatAverage
  csatSatisfiedShare
  cesResponses
  cesAverage
}
    `,{fragmentName:"ScoreParts"});const vt=new P(`
    query Me {
  me {
    name
    email
    role
  }
  workspace {
    name
  }
  valueSettings {
    reportingCurrency
  }
}
    `),bt=new P(`
    query Campaigns {
  campaigns(first: 100) {
    nodes {
      id
      name
      channel
      status
      segmentId
      launchedAt
      endsAt
      controlShare
      audience {
        eligible
        treated
        control
      }
    }
  }
  segments(first: 100) {
    nodes {
      id
      name
    }
  }
}
    `),_t=new P(`
    query CampaignResults($id: ID!) {
  campaignResults(id: $id) {
    status
    currency
    windowStart
    windowEnd
    windowOpen
    cost
    romi
    total {
      ...ArmComparisonParts
    }
    byRfmSegment {
      ...ArmComparisonParts
    }
  }
}
    fragment ArmComparisonParts on ArmComparison {
  group
  incrementalRevenue
  incrementalMargin
  significance
  treatment {
    members
    buyers
    conversionRate
    revenuePerMember
  }
  control {
    members
    buyers
    conversionRate
    revenuePerMember
  }
  conversionUplift {
    difference
    relative
    ciLow
    ciHigh
    pValue
    significance
  }
}`),wt=new P(`
    mutation CreateCampaign($input: CampaignInput!, $key: String) {
  createCampaign(input: $input, idempotencyKey: $key) {
    id
    name
  }
}
    `),$t=new P(`
    mutation LaunchCampaign($id: ID!, $key: String) {
  launchCampaign(id: $id, idempotencyKey: $key) {
    id
    status
    audience {
      treated
      control
    }
  }
}
    `),kt=new P(`
    query Cohorts($from: String!) {
  cohortReport(period: "month", from: $from) {
    currency
    cohorts {
      cohort
      customers
      periods {
        periodNumber
        period
        activeCustomers
        retention
        cumulativeRevenuePerCustomer
      }
    }
  }
}
    `),Ct=new P(`
    query Customer360($id: ID!) {
  account(id: $id) {
    id
    name
    kind
    emails
    phones
    tags
    lifecycleStage
    acquisitionChannel
    createdAt
    metrics {
      currency
      ordersCount
      revenue
      margin
      averageOrderValue
      firstOrderAt
      lastOrderAt
      repeatPurchases
      rfm {
        r
        f
        m
        segment
        label
      }
      pAlive
      churnProbability
      riskBand
      expectedOrders90d
      expectedOrderValue
      clv
      spendModel
      predictionsUnavailable
    }
    interactions(first: 12) {
      nodes {
        id
        type
        channel
        direction
        subject
        occurredAt
      }
    }
    orders(first: 12) {
      nodes {
        id
        externalId
        amount
        currency
        refundedAmount
        status
        occurredAt
        channel
      }
    }
    nextBestOffers {
      offer {
        id
        name
        kind
        percent
        amount
        currency
        points
        pointsMultiplier
        benefit
      }
      expectedIncrementalMargin
      explanation
    }
    recommendations(limit: 5) {
      data {
        sku
        name
        reason
        explanation
      }
    }
    satisfaction {
      nps
      npsCategory
      npsAt
      csat
      csatAt
      ces
      cesAt
      responses
      openComplaints
    }
    feedback(first: 5) {
      nodes {
        id
        nps
        csat
        ces
        touchpoint
        channel
        comment
        occurredAt
      }
    }
    complaints(first: 5) {
      nodes {
        id
        subject
        status
        severity
        openedAt
        firstResponseBreached
        resolutionBreached
      }
    }
  }
  accountOffers(accountId: $id, stateFilter: "all", first: 8) {
    nodes {
      voucher {
        id
        code
        state
        validUntil
        issuedAt
        redeemedAt
      }
      offer {
        name
      }
    }
  }
  loyaltyBalance(accountId: $id) {
    available
    pending
    expiringIn30Days
    lifetimeEarned
    tier {
      name
    }
    nextTier {
      name
      missing
    }
  }
  loyaltyProgram {
    currency
    qualification
  }
  loyaltyLedger(accountId: $id, first: 6) {
    nodes {
      id
      kind
      points
      reason
      occurredAt
    }
  }
  deals(first: 20, filter: {accountId: $id, status: "open"}) {
    nodes {
      id
      title
      amount
      currency
      stageId
      expectedCloseOn
    }
  }
  pipelines(first: 20) {
    nodes {
      stages {
        id
        name
      }
    }
  }
}
    `),St=new P(`
    mutation EraseAccount($id: ID!, $confirm: String!, $idempotencyKey: String) {
  eraseAccount(id: $id, confirm: $confirm, idempotencyKey: $idempotencyKey) {
    accountId
    erasedAt
    alreadyErased
    changed
  }
}
    `),At=new P(`
    query Customers($first: Int!, $after: String, $filter: AccountFilterInput, $withSegments: Boolean!) {
  accounts(first: $first, after: $after, filter: $filter, sort: "name") {
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      name
      kind
      lifecycleStage
      emails
      metrics {
        ordersCount
        revenue
        clv
        riskBand
        rfm {
          label
        }
      }
    }
  }
  segments(first: 100) @include(if: $withSegments) {
    nodes {
      id
      name
    }
  }
}
    `),xt=new P(`
    query Data {
  importJobs(first: 50) {
    nodes {
      id
      type
      format
      status
      dryRun
      rowsRead
      rowsCreated
      rowsUpdated
      rowsUnchanged
      rowsFailed
      error {
        code
        message
      }
      createdAt
      startedAt
      finishedAt
    }
    pageInfo {
      hasNextPage
    }
  }
  exportJobs(first: 50) {
    nodes {
      id
      type
      format
      status
      rowsWritten
      bytesWritten
      error {
        code
        message
      }
      downloadUrl
      createdAt
      expiresAt
    }
    pageInfo {
      hasNextPage
    }
  }
  accountDuplicates(first: 50) {
    nodes {
      accountId
      accountName
      duplicateId
      duplicateName
      score
      reasons {
        kind
        value
      }
    }
    pageInfo {
      hasNextPage
    }
  }
}
    `),Rt=new P(`
    mutation CreateExport($type: String!, $format: String!, $idempotencyKey: String) {
  createExport(type: $type, format: $format, idempotencyKey: $idempotencyKey) {
    id
    type
    format
    status
  }
}
    `),It=new P(`
    query Economics {
  profitabilityReport(limit: 10) {
    currency
    asOf
    customers
    profitableCustomers
    unprofitableCustomers
    breakEvenCustomers
    totals {
      revenue
      margin
      acquisitionCost
      costToServe
      profit
    }
    deciles {
      decile
      customers
      totals {
        profit
      }
      shareOfProfit
    }
    byRfmSegment {
      rfmSegment
      customers
      totals {
        profit
      }
      simpleClv
      modelClv
      customersWithPrediction
    }
    mostProfitable {
      ...AccountProfitRow
    }
    leastProfitable {
      ...AccountProfitRow
    }
  }
  acquisitionReport {
    currency
    startsAt
    endsBefore
    unallocatedSpend
    channels {
      acquisitionChannel
      customers
      marketingSpend
      cac
      averageClv
      averageClv36Months
      clvToCac
      paybackMonths
    }
  }
  valueDistribution {
    currency
    revenue {
      customers
      histogram {
        lower
        customers
      }
    }
    clv {
      customers
      histogram {
        lower
        customers
      }
    }
  }
}
    fragment AccountProfitRow on AccountProfit {
  accountId
  name
  rfmSegment
  revenue
  margin
  acquisitionCost
  costToServe
  profit
}`),Pt=new P(`
    query Feedback {
  satisfactionReport(period: "month", detractorsLimit: 5) {
    currency
    startsAt
    endsBefore
    overall {
      ...ScoreParts
    }
    overTime {
      key
      scores {
        ...ScoreParts
      }
    }
    byTouchpoint {
      key
      scores {
        ...ScoreParts
      }
    }
    byChannel {
      key
      scores {
        ...ScoreParts
      }
    }
    complaints {
      opened
      resolved
      active
      firstResponseSlaMet
      resolutionSlaMet
      firstResponseMinutesMedian
      resolutionMinutesMedian
    }
    detractorsAtRisk {
      accountId
      name
      nps
      valueAtRisk
    }
  }
  complaints(first: 50) {
    nodes {
      ...ComplaintRow
    }
  }
}
    fragment ComplaintRow on Complaint {
  id
  accountId
  subject
  category
  severity
  status
  openedAt
  resolutionDueAt
  firstResponseBreached
  resolutionBreached
}
fragment ScoreParts on Scores {
  npsResponses
  promoters
  passives
  detractors
  nps
  npsLow
  npsHigh
  csatResponses
  csatAverage
  csatSatisfiedShare
  cesResponses
  cesAverage
}`),Dt=new P(`
    query Complaints($status: String) {
  complaints(first: 50, status: $status) {
    nodes {
      ...ComplaintRow
    }
  }
}
    fragment ComplaintRow on Complaint {
  id
  accountId
  subject
  category
  severity
  status
  openedAt
  resolutionDueAt
  firstResponseBreached
  resolutionBreached
}`),Tt=new P(`
    query ComplaintDetail($id: ID!) {
  complaint(id: $id) {
    id
    accountId
    orderId
    feedbackId
    category
    severity
    channel
    subject
    description
    status
    openedAt
    firstResponseDueAt
    resolutionDueAt
    firstRespondedAt
    resolvedAt
    closedAt
    firstResponseBreached
    resolutionBreached
    outcome
  }
  complaintHistory(id: $id) {
    id
    kind
    fromStatus
    toStatus
    body
    actorType
    occurredAt
  }
}
    `),Nt=new P(`
    mutation ResolveComplaint($id: ID!, $input: ResolveComplaintInput!, $key: String) {
  resolveComplaint(id: $id, input: $input, idempotencyKey: $key) {
    complaint {
      id
      status
    }
    compensations {
      kind
      points
      amount
      currency
      paidNow
    }
  }
}
    `),Mt=new P(`
    query Loyalty {
  loyaltyProgram {
    currency
    active
    earnRate {
      numerator
      denominator
    }
    qualification
    qualificationWindowDays
    expiryMonths
    pendingDays
    tiers {
      name
      threshold
      multiplierPermille
      benefits
    }
  }
  loyaltyRewards(first: 100) {
    nodes {
      id
      name
      description
      pointsCost
      stock
      availableUntil
    }
  }
}
    `),Ot=new P(`
    query Offers {
  offers(first: 200) {
    nodes {
      id
      name
      description
      kind
      percent
      amount
      currency
      points
      pointsMultiplier
      benefit
      status
      issued
      redemptions
      spent
      budget
      campaignId
      validUntil
      voucherValidDays
      version
    }
  }
  campaigns(first: 100) {
    nodes {
      id
      name
    }
  }
  segments(first: 100) {
    nodes {
      id
      name
    }
  }
}
    `),qt=new P(`
    mutation CreateOffer($input: OfferInput!, $key: String) {
  createOffer(input: $input, idempotencyKey: $key) {
    id
    name
    status
  }
}
    `),Ut=new P(`
    mutation SetOfferStatus($id: ID!, $patch: JSON!, $version: Int) {
  updateOffer(id: $id, patch: $patch, ifVersion: $version) {
    id
    status
  }
}
    `),Lt=new P(`
    mutation IssueOffer($id: ID!, $input: IssueOfferInput!, $key: String) {
  issueOffer(id: $id, input: $input, idempotencyKey: $key) {
    issued
    alreadyHolding
    ineligible
  }
}
    `),Bt=new P(`
    query Overview($from: String!) {
  valueDistribution {
    currency
    revenue {
      customers
      total
      concentration {
        topPercent
        share
      }
    }
    clv {
      customers
      total
    }
  }
  churnReport(period: "month", from: $from) {
    currency
    repeat {
      repeatPurchaseRate
    }
    periods {
      period
      activeCustomers
      newCustomers
      churnRate
      revenue
      margin
    }
    expected {
      expectedChurnRate
    }
  }
  deals(first: 500, filter: {status: "open"}) {
    pageInfo {
      hasNextPage
    }
    nodes {
      amount
      currency
    }
  }
  satisfactionReport(period: "month", detractorsLimit: 1) {
    overall {
      nps
      npsResponses
    }
    overTime {
      key
      scores {
        nps
      }
    }
  }
  atRiskAccounts(first: 5) {
    nodes {
      accountId
      name
      valueAtRisk
      churnProbability
    }
  }
}
    `),Et=new P(`
    query Board {
  pipelines(first: 20) {
    nodes {
      id
      name
      stages {
        id
        name
        kind
        probability
      }
    }
  }
  deals(first: 500, filter: {status: "open"}) {
    nodes {
      id
      title
      amount
      currency
      pipelineId
      stageId
      version
      expectedCloseOn
    }
  }
}
    `),Ft=new P(`
    mutation MoveDeal($id: ID!, $stageId: ID!, $ifVersion: Int, $lostReason: String, $key: String) {
  moveDeal(
    id: $id
    stageId: $stageId
    ifVersion: $ifVersion
    lostReason: $lostReason
    idempotencyKey: $key
  ) {
    id
    stageId
    version
    status
  }
}
    `),Kt=new P(`
    query Segments {
  segments(first: 100) {
    nodes {
      id
      name
      description
      rule
      tracked
      createdAt
    }
  }
}
    `),Vt=new P(`
    query PreviewSegment($rule: JSON!) {
  previewSegment(rule: $rule, sampleSize: 5) {
    count
    sample {
      id
      name
    }
  }
}
    `),Wt=new P(`
    mutation CreateSegment($input: SegmentInput!, $key: String) {
  createSegment(input: $input, idempotencyKey: $key) {
    id
    name
  }
}
    `),Ht=new P(`
    query Settings {
  users(first: 100) {
    nodes {
      id
      name
      email
      role
      disabled
      lastLoginAt
      version
    }
  }
  apiKeys(first: 100) {
    nodes {
      id
      name
      prefix
      scopes
      lastUsedAt
      expiresAt
      revokedAt
    }
  }
  webhooks(first: 50) {
    nodes {
      id
      url
      description
      eventTypes
      enabled
      disabledReason
    }
  }
}
    `),zt=new P(`
    mutation CreateUser($input: NewUser!) {
  createUser(input: $input) {
    id
    name
    role
  }
}
    `),jt=new P(`
    mutation SetUserDisabled($id: ID!, $disabled: Boolean!) {
  updateUser(id: $id, input: {disabled: $disabled}) {
    id
    disabled
  }
}
    `),Jt=new P(`
    mutation CreateApiKey($input: NewApiKey!) {
  createApiKey(input: $input) {
    id
    name
    scopes
    secret
  }
}
    `),Qt=new P(`
    mutation RevokeApiKey($id: ID!) {
  revokeApiKey(id: $id) {
    id
    revokedAt
  }
}
    `),Yt=new P(`
    mutation CreateWebhook($input: NewWebhook!) {
  createWebhook(input: $input) {
    id
    url
    secret
  }
}
    `),Gt=new P(`
    mutation DeleteWebhook($id: ID!) {
  deleteWebhook(id: $id)
}
    `),Xt=new P(`
    query WebhookDeliveries($id: ID!) {
  webhookDeliveries(webhookId: $id, first: 20) {
    nodes {
      id
      eventType
      eventCount
      attempt
      trigger
      outcome
      statusCode
      latencyMs
      error
      createdAt
    }
  }
}
    `),Zt=new P(`
    query Value {
  rfmSegments {
    currency
    breakpointsFittedAt
    scoredAccounts
    unscoredAccounts
    segments {
      segment
      label
      accounts
      revenue
      shareOfAccounts
      shareOfRevenue
    }
  }
  valueDistribution {
    currency
    clv {
      customers
      histogram {
        lower
        upper
        customers
      }
    }
  }
  atRiskAccounts(first: 20) {
    nodes {
      accountId
      name
      valueAtRisk
      churnProbability
      riskBand
      clv
      revenue
      segment
    }
  }
}
    `),er={"\n  query Me {\n    me {\n      name\n      email\n      role\n    }\n    workspace {\n      name\n    }\n    valueSettings {\n      reportingCurrency\n    }\n  }\n":vt,"\n  query Campaigns {\n    campaigns(first: 100) {\n      nodes {\n        id\n        name\n        channel\n        status\n        segmentId\n        launchedAt\n        endsAt\n        controlShare\n        audience {\n          eligible\n          treated\n          control\n        }\n      }\n    }\n    segments(first: 100) {\n      nodes {\n        id\n        name\n      }\n    }\n  }\n":bt,"\n  query CampaignResults($id: ID!) {\n    campaignResults(id: $id) {\n      status\n      currency\n      windowStart\n      windowEnd\n      windowOpen\n      cost\n      romi\n      total {\n        ...ArmComparisonParts\n      }\n      byRfmSegment {\n        ...ArmComparisonParts\n      }\n    }\n  }\n  fragment ArmComparisonParts on ArmComparison {\n    group\n    incrementalRevenue\n    incrementalMargin\n    significance\n    treatment {\n      members\n      buyers\n      conversionRate\n      revenuePerMember\n    }\n    control {\n      members\n      buyers\n      conversionRate\n      revenuePerMember\n    }\n    conversionUplift {\n      difference\n      relative\n      ciLow\n      ciHigh\n      pValue\n      significance\n    }\n  }\n":_t,"\n  mutation CreateCampaign($input: CampaignInput!, $key: String) {\n    createCampaign(input: $input, idempotencyKey: $key) {\n      id\n      name\n    }\n  }\n":wt,"\n  mutation LaunchCampaign($id: ID!, $key: String) {\n    launchCampaign(id: $id, idempotencyKey: $key) {\n      id\n      status\n      audience {\n        treated\n        control\n      }\n    }\n  }\n":$t,'\n  query Cohorts($from: String!) {\n    cohortReport(period: "month", from: $from) {\n      currency\n      cohorts {\n        cohort\n        customers\n        periods {\n          periodNumber\n          period\n          activeCustomers\n          retention\n          cumulativeRevenuePerCustomer\n        }\n      }\n    }\n  }\n':kt,'\n  query Customer360($id: ID!) {\n    account(id: $id) {\n      id\n      name\n      kind\n      emails\n      phones\n      tags\n      lifecycleStage\n      acquisitionChannel\n      createdAt\n      metrics {\n        currency\n        ordersCount\n        revenue\n        margin\n        averageOrderValue\n        firstOrderAt\n        lastOrderAt\n        repeatPurchases\n        rfm {\n          r\n          f\n          m\n          segment\n          label\n        }\n        pAlive\n        churnProbability\n        riskBand\n        expectedOrders90d\n        expectedOrderValue\n        clv\n        spendModel\n        predictionsUnavailable\n      }\n      interactions(first: 12) {\n        nodes {\n          id\n          type\n          channel\n          direction\n          subject\n          occurredAt\n        }\n      }\n      orders(first: 12) {\n        nodes {\n          id\n          externalId\n          amount\n          currency\n          refundedAmount\n          status\n          occurredAt\n          channel\n        }\n      }\n      nextBestOffers {\n        offer {\n          id\n          name\n          kind\n          percent\n          amount\n          currency\n          points\n          pointsMultiplier\n          benefit\n        }\n        expectedIncrementalMargin\n        explanation\n      }\n      recommendations(limit: 5) {\n        data {\n          sku\n          name\n          reason\n          explanation\n        }\n      }\n      satisfaction {\n        nps\n        npsCategory\n        npsAt\n        csat\n        csatAt\n        ces\n        cesAt\n        responses\n        openComplaints\n      }\n      feedback(first: 5) {\n        nodes {\n          id\n          nps\n          csat\n          ces\n          touchpoint\n          channel\n          comment\n          occurredAt\n        }\n      }\n      complaints(first: 5) {\n        nodes {\n          id\n          subject\n          status\n          severity\n          openedAt\n          firstResponseBreached\n          resolutionBreached\n        }\n      }\n    }\n    accountOffers(accountId: $id, stateFilter: "all", first: 8) {\n      nodes {\n        voucher {\n          id\n          code\n          state\n          validUntil\n          issuedAt\n          redeemedAt\n        }\n        offer {\n          name\n        }\n      }\n    }\n    loyaltyBalance(accountId: $id) {\n      available\n      pending\n      expiringIn30Days\n      lifetimeEarned\n      tier {\n        name\n      }\n      nextTier {\n        name\n        missing\n      }\n    }\n    loyaltyProgram {\n      currency\n      qualification\n    }\n    loyaltyLedger(accountId: $id, first: 6) {\n      nodes {\n        id\n        kind\n        points\n        reason\n        occurredAt\n      }\n    }\n    deals(first: 20, filter: { accountId: $id, status: "open" }) {\n      nodes {\n        id\n        title\n        amount\n        currency\n        stageId\n        expectedCloseOn\n      }\n    }\n    pipelines(first: 20) {\n      nodes {\n        stages {\n          id\n          name\n        }\n      }\n    }\n  }\n':Ct,"\n  mutation EraseAccount($id: ID!, $confirm: String!, $idempotencyKey: String) {\n    eraseAccount(id: $id, confirm: $confirm, idempotencyKey: $idempotencyKey) {\n      accountId\n      erasedAt\n      alreadyErased\n      changed\n    }\n  }\n":St,'\n  query Customers($first: Int!, $after: String, $filter: AccountFilterInput, $withSegments: Boolean!) {\n    accounts(first: $first, after: $after, filter: $filter, sort: "name") {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        name\n        kind\n        lifecycleStage\n        emails\n        metrics {\n          ordersCount\n          revenue\n          clv\n          riskBand\n          rfm {\n            label\n          }\n        }\n      }\n    }\n    segments(first: 100) @include(if: $withSegments) {\n      nodes {\n        id\n        name\n      }\n    }\n  }\n':At,"\n  query Data {\n    importJobs(first: 50) {\n      nodes {\n        id\n        type\n        format\n        status\n        dryRun\n        rowsRead\n        rowsCreated\n        rowsUpdated\n        rowsUnchanged\n        rowsFailed\n        error {\n          code\n          message\n        }\n        createdAt\n        startedAt\n        finishedAt\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n    exportJobs(first: 50) {\n      nodes {\n        id\n        type\n        format\n        status\n        rowsWritten\n        bytesWritten\n        error {\n          code\n          message\n        }\n        downloadUrl\n        createdAt\n        expiresAt\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n    accountDuplicates(first: 50) {\n      nodes {\n        accountId\n        accountName\n        duplicateId\n        duplicateName\n        score\n        reasons {\n          kind\n          value\n        }\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n  }\n":xt,"\n  mutation CreateExport($type: String!, $format: String!, $idempotencyKey: String) {\n    createExport(type: $type, format: $format, idempotencyKey: $idempotencyKey) {\n      id\n      type\n      format\n      status\n    }\n  }\n":Rt,"\n  query Economics {\n    profitabilityReport(limit: 10) {\n      currency\n      asOf\n      customers\n      profitableCustomers\n      unprofitableCustomers\n      breakEvenCustomers\n      totals {\n        revenue\n        margin\n        acquisitionCost\n        costToServe\n        profit\n      }\n      deciles {\n        decile\n        customers\n        totals {\n          profit\n        }\n        shareOfProfit\n      }\n      byRfmSegment {\n        rfmSegment\n        customers\n        totals {\n          profit\n        }\n        simpleClv\n        modelClv\n        customersWithPrediction\n      }\n      mostProfitable {\n        ...AccountProfitRow\n      }\n      leastProfitable {\n        ...AccountProfitRow\n      }\n    }\n    acquisitionReport {\n      currency\n      startsAt\n      endsBefore\n      unallocatedSpend\n      channels {\n        acquisitionChannel\n        customers\n        marketingSpend\n        cac\n        averageClv\n        averageClv36Months\n        clvToCac\n        paybackMonths\n      }\n    }\n    valueDistribution {\n      currency\n      revenue {\n        customers\n        histogram {\n          lower\n          customers\n        }\n      }\n      clv {\n        customers\n        histogram {\n          lower\n          customers\n        }\n      }\n    }\n  }\n\n  fragment AccountProfitRow on AccountProfit {\n    accountId\n    name\n    rfmSegment\n    revenue\n    margin\n    acquisitionCost\n    costToServe\n    profit\n  }\n":It,'\n  query Feedback {\n    satisfactionReport(period: "month", detractorsLimit: 5) {\n      currency\n      startsAt\n      endsBefore\n      overall {\n        ...ScoreParts\n      }\n      overTime {\n        key\n        scores {\n          ...ScoreParts\n        }\n      }\n      byTouchpoint {\n        key\n        scores {\n          ...ScoreParts\n        }\n      }\n      byChannel {\n        key\n        scores {\n          ...ScoreParts\n        }\n      }\n      complaints {\n        opened\n        resolved\n        active\n        firstResponseSlaMet\n        resolutionSlaMet\n        firstResponseMinutesMedian\n        resolutionMinutesMedian\n      }\n      detractorsAtRisk {\n        accountId\n        name\n        nps\n        valueAtRisk\n      }\n    }\n    complaints(first: 50) {\n      nodes {\n        ...ComplaintRow\n      }\n    }\n  }\n  fragment ComplaintRow on Complaint {\n    id\n    accountId\n    subject\n    category\n    severity\n    status\n    openedAt\n    resolutionDueAt\n    firstResponseBreached\n    resolutionBreached\n  }\n  fragment ScoreParts on Scores {\n    npsResponses\n    promoters\n    passives\n    detractors\n    nps\n    npsLow\n    npsHigh\n    csatResponses\n    csatAverage\n    csatSatisfiedShare\n    cesResponses\n    cesAverage\n  }\n':Pt,"\n  query Complaints($status: String) {\n    complaints(first: 50, status: $status) {\n      nodes {\n        ...ComplaintRow\n      }\n    }\n  }\n":Dt,"\n  query ComplaintDetail($id: ID!) {\n    complaint(id: $id) {\n      id\n      accountId\n      orderId\n      feedbackId\n      category\n      severity\n      channel\n      subject\n      description\n      status\n      openedAt\n      firstResponseDueAt\n      resolutionDueAt\n      firstRespondedAt\n      resolvedAt\n      closedAt\n      firstResponseBreached\n      resolutionBreached\n      outcome\n    }\n    complaintHistory(id: $id) {\n      id\n      kind\n      fromStatus\n      toStatus\n      body\n      actorType\n      occurredAt\n    }\n  }\n":Tt,"\n  mutation ResolveComplaint($id: ID!, $input: ResolveComplaintInput!, $key: String) {\n    resolveComplaint(id: $id, input: $input, idempotencyKey: $key) {\n      complaint {\n        id\n        status\n      }\n      compensations {\n        kind\n        points\n        amount\n        currency\n        paidNow\n      }\n    }\n  }\n":Nt,"\n  query Loyalty {\n    loyaltyProgram {\n      currency\n      active\n      earnRate {\n        numerator\n        denominator\n      }\n      qualification\n      qualificationWindowDays\n      expiryMonths\n      pendingDays\n      tiers {\n        name\n        threshold\n        multiplierPermille\n        benefits\n      }\n    }\n    loyaltyRewards(first: 100) {\n      nodes {\n        id\n        name\n        description\n        pointsCost\n        stock\n        availableUntil\n      }\n    }\n  }\n":Mt,"\n  query Offers {\n    offers(first: 200) {\n      nodes {\n        id\n        name\n        description\n        kind\n        percent\n        amount\n        currency\n        points\n        pointsMultiplier\n        benefit\n        status\n        issued\n        redemptions\n        spent\n        budget\n        campaignId\n        validUntil\n        voucherValidDays\n        version\n      }\n    }\n    campaigns(first: 100) {\n      nodes {\n        id\n        name\n      }\n    }\n    segments(first: 100) {\n      nodes {\n        id\n        name\n      }\n    }\n  }\n":Ot,"\n  mutation CreateOffer($input: OfferInput!, $key: String) {\n    createOffer(input: $input, idempotencyKey: $key) {\n      id\n      name\n      status\n    }\n  }\n":qt,"\n  mutation SetOfferStatus($id: ID!, $patch: JSON!, $version: Int) {\n    updateOffer(id: $id, patch: $patch, ifVersion: $version) {\n      id\n      status\n    }\n  }\n":Ut,"\n  mutation IssueOffer($id: ID!, $input: IssueOfferInput!, $key: String) {\n    issueOffer(id: $id, input: $input, idempotencyKey: $key) {\n      issued\n      alreadyHolding\n      ineligible\n    }\n  }\n":Lt,'\n  query Overview($from: String!) {\n    valueDistribution {\n      currency\n      revenue {\n        customers\n        total\n        concentration {\n          topPercent\n          share\n        }\n      }\n      clv {\n        customers\n        total\n      }\n    }\n    churnReport(period: "month", from: $from) {\n      currency\n      repeat {\n        repeatPurchaseRate\n      }\n      periods {\n        period\n        activeCustomers\n        newCustomers\n        churnRate\n        revenue\n        margin\n      }\n      expected {\n        expectedChurnRate\n      }\n    }\n    deals(first: 500, filter: { status: "open" }) {\n      pageInfo {\n        hasNextPage\n      }\n      nodes {\n        amount\n        currency\n      }\n    }\n    satisfactionReport(period: "month", detractorsLimit: 1) {\n      overall {\n        nps\n        npsResponses\n      }\n      overTime {\n        key\n        scores {\n          nps\n        }\n      }\n    }\n    atRiskAccounts(first: 5) {\n      nodes {\n        accountId\n        name\n        valueAtRisk\n        churnProbability\n      }\n    }\n  }\n':Bt,'\n  query Board {\n    pipelines(first: 20) {\n      nodes {\n        id\n        name\n        stages {\n          id\n          name\n          kind\n          probability\n        }\n      }\n    }\n    deals(first: 500, filter: { status: "open" }) {\n      nodes {\n        id\n        title\n        amount\n        currency\n        pipelineId\n        stageId\n        version\n        expectedCloseOn\n      }\n    }\n  }\n':Et,"\n  mutation MoveDeal($id: ID!, $stageId: ID!, $ifVersion: Int, $lostReason: String, $key: String) {\n    moveDeal(id: $id, stageId: $stageId, ifVersion: $ifVersion, lostReason: $lostReason, idempotencyKey: $key) {\n      id\n      stageId\n      version\n      status\n    }\n  }\n":Ft,"\n  query Segments {\n    segments(first: 100) {\n      nodes {\n        id\n        name\n        description\n        rule\n        tracked\n        createdAt\n      }\n    }\n  }\n":Kt,"\n  query PreviewSegment($rule: JSON!) {\n    previewSegment(rule: $rule, sampleSize: 5) {\n      count\n      sample {\n        id\n        name\n      }\n    }\n  }\n":Vt,"\n  mutation CreateSegment($input: SegmentInput!, $key: String) {\n    createSegment(input: $input, idempotencyKey: $key) {\n      id\n      name\n    }\n  }\n":Wt,"\n  query Settings {\n    users(first: 100) {\n      nodes {\n        id\n        name\n        email\n        role\n        disabled\n        lastLoginAt\n        version\n      }\n    }\n    apiKeys(first: 100) {\n      nodes {\n        id\n        name\n        prefix\n        scopes\n        lastUsedAt\n        expiresAt\n        revokedAt\n      }\n    }\n    webhooks(first: 50) {\n      nodes {\n        id\n        url\n        description\n        eventTypes\n        enabled\n        disabledReason\n      }\n    }\n  }\n":Ht,"\n  mutation CreateUser($input: NewUser!) {\n    createUser(input: $input) {\n      id\n      name\n      role\n    }\n  }\n":zt,"\n  mutation SetUserDisabled($id: ID!, $disabled: Boolean!) {\n    updateUser(id: $id, input: { disabled: $disabled }) {\n      id\n      disabled\n    }\n  }\n":jt,"\n  mutation CreateApiKey($input: NewApiKey!) {\n    createApiKey(input: $input) {\n      id\n      name\n      scopes\n      secret\n    }\n  }\n":Jt,"\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      id\n      revokedAt\n    }\n  }\n":Qt,"\n  mutation CreateWebhook($input: NewWebhook!) {\n    createWebhook(input: $input) {\n      id\n      url\n      secret\n    }\n  }\n":Yt,"\n  mutation DeleteWebhook($id: ID!) {\n    deleteWebhook(id: $id)\n  }\n":Gt,"\n  query WebhookDeliveries($id: ID!) {\n    webhookDeliveries(webhookId: $id, first: 20) {\n      nodes {\n        id\n        eventType\n        eventCount\n        attempt\n        trigger\n        outcome\n        statusCode\n        latencyMs\n        error\n        createdAt\n      }\n    }\n  }\n":Xt,"\n  query Value {\n    rfmSegments {\n      currency\n      breakpointsFittedAt\n      scoredAccounts\n      unscoredAccounts\n      segments {\n        segment\n        label\n        accounts\n        revenue\n        shareOfAccounts\n        shareOfRevenue\n      }\n    }\n    valueDistribution {\n      currency\n      clv {\n        customers\n        histogram {\n          lower\n          upper\n          customers\n        }\n      }\n    }\n    atRiskAccounts(first: 20) {\n      nodes {\n        accountId\n        name\n        valueAtRisk\n        churnProbability\n        riskBand\n        clv\n        revenue\n        segment\n      }\n    }\n  }\n":Zt};function T(n){return er[n]??{}}function le({values:n,label:t}){if(n.length<2)return null;const i=Math.max(...n),a=Math.min(...n),l=i-a||1,p=n.map((c,u)=>`${(u/(n.length-1)*120).toFixed(1)},${(30-(c-a)/l*28).toFixed(1)}`).join(" ");return e("svg",{class:"spark",viewBox:"0 0 120 32",width:120,height:32,role:"img","aria-label":t,children:e("polyline",{points:p,fill:"none",stroke:"currentColor","stroke-width":"1.5"})})}function Ve({bars:n,label:t,height:r=140}){const i=Math.max(240,n.length*72),a=Math.max(1,...n.map(l=>l.value));return e("svg",{class:"chart",viewBox:`0 0 ${i} ${r+36}`,role:"img","aria-label":`${t}. ${n.map(l=>`${l.label}: ${l.text}`).join("; ")}`,children:n.map((l,p)=>{const c=l.value/a*(r-16);return e("g",{children:[e("title",{children:`${l.label}: ${l.text}`}),e("rect",{x:p*72+4,y:r-c,width:64,height:c,class:"bar"}),e("text",{x:p*72+72/2,y:r-c-4,"text-anchor":"middle",class:"tick",children:l.text}),e("text",{x:p*72+72/2,y:r+16,"text-anchor":"middle",class:"tick",children:l.label})]},`${p}-${l.label}`)})})}function zn({value:n,label:t,tone:r}){return e("svg",{class:`meter ${r}`,viewBox:"0 0 200 12",width:200,height:12,role:"img","aria-label":`${t}: ${q(n)}`,children:[e("rect",{x:"0",y:"0",width:200,height:"12",rx:"6",class:"track"}),e("rect",{x:"0",y:"0",width:Math.max(0,Math.min(1,n))*200,height:"12",rx:"6",class:"fill"})]})}const nr=[["new","potential_loyalist","potential_loyalist","champions","champions"],["promising","potential_loyalist","potential_loyalist","loyal","champions"],["about_to_sleep","about_to_sleep","need_attention","loyal","loyal"],["hibernating","hibernating","at_risk","at_risk","at_risk"],["lost","lost","at_risk","cant_lose_them","cant_lose_them"]];function tr({cells:n,onPick:t}){const i=new Map(n.map(c=>[c.segment,c])),a=Math.max(1e-4,...n.map(c=>c.shareOfRevenue)),l=new Set,p=n.map(c=>`${c.label}: ${c.accounts} customers, ${te(c.revenue)}`).join("; ");return e("svg",{class:"chart rfm",viewBox:"0 0 512 512",role:"img","aria-label":`RFM grid. ${p}`,children:[nr.map((c,u)=>c.map((f,h)=>{const d=i.get(f),o=d?d.shareOfRevenue/a:0,m=!l.has(f);l.add(f);const v=28+h*96,k=u*96;return e("g",{class:t?"pick":void 0,onClick:()=>t?.(f),children:[e("title",{children:d?`${d.label}: ${d.accounts} customers, ${te(d.revenue)} revenue`:f}),e("rect",{x:v+1,y:k+1,width:94,height:94,fill:`hsl(210 70% ${Math.round(96-o*58)}%)`}),m&&d&&e(V,{children:[e("text",{x:v+6,y:k+18,class:o>.55?"cell light":"cell",children:d.label}),e("text",{x:v+6,y:k+36,class:o>.55?"cell light":"cell",children:[d.accounts," customers"]}),e("text",{x:v+6,y:k+52,class:o>.55?"cell light":"cell",children:te(d.revenue)})]})]},`${u}-${h}`)})),[5,4,3,2,1].map((c,u)=>e("text",{x:10,y:u*96+96/2+4,class:"tick","text-anchor":"middle",children:`R${c}`},`r${c}`)),[1,2,3,4,5].map((c,u)=>e("text",{x:28+u*96+96/2,y:498,class:"tick","text-anchor":"middle",children:`FM${c}`},`fm${c}`))]})}function We({rows:n,label:t}){const a=n.flatMap(h=>[h.estimate,h.low??h.estimate,h.high??h.estimate,0]),l=Math.min(...a),c=Math.max(...a)-l||1,u=h=>160+(h-l)/c*340,f=n.length*30+24;return e("svg",{class:"chart interval",viewBox:`0 0 520 ${f}`,role:"img","aria-label":`${t}. ${n.map(h=>`${h.label}: ${h.text}`).join("; ")}`,children:[e("line",{x1:u(0),x2:u(0),y1:0,y2:n.length*30,class:"zero"}),e("text",{x:u(0),y:f-6,"text-anchor":"middle",class:"tick",children:"0"}),n.map((h,d)=>{const o=d*30+15;return e("g",{children:[e("title",{children:`${h.label}: ${h.text}`}),e("text",{x:0,y:o+4,class:"tick",children:h.label}),h.low!=null&&h.high!=null&&e("line",{x1:u(h.low),x2:u(h.high),y1:o,y2:o,class:"ci"}),h.low!=null&&e("line",{x1:u(h.low),x2:u(h.low),y1:o-6,y2:o+6,class:"ci"}),h.high!=null&&e("line",{x1:u(h.high),x2:u(h.high),y1:o-6,y2:o+6,class:"ci"}),e("circle",{cx:u(h.estimate),cy:o,r:5,class:h.low!=null&&h.low>0?"est good":"est"})]},h.label)})]})}function rr({rows:n,columns:t,label:r}){const l=130+t.length*52,p=22+n.length*26;return e("svg",{class:"chart heat",viewBox:`0 0 ${l} ${p}`,role:"img","aria-label":r,children:[t.map((c,u)=>e("text",{x:130+u*52+52/2,y:14,"text-anchor":"middle",class:"tick",children:c},c)),n.map((c,u)=>e("g",{children:[e("text",{x:0,y:22+u*26+17,class:"tick",children:[c.label," ",e("tspan",{class:"muted",children:c.note})]}),c.cells.map((f,h)=>e("g",{children:[e("title",{children:f.title}),e("rect",{x:130+h*52+1,y:22+u*26+1,width:50,height:24,fill:`hsl(160 55% ${Math.round(97-Math.min(1,f.value)*62)}%)`}),e("text",{x:130+h*52+52/2,y:22+u*26+17,"text-anchor":"middle",class:f.value>.55?"cell light":"cell",children:f.text})]},h))]},c.label))]})}function gn({points:n,label:t,min:r,max:s,zero:i}){const u=s-r||1,f=n.length>1?564/(n.length-1):0,h=y=>42+y*f,d=y=>8+(1-(Math.max(r,Math.min(s,y))-r)/u)*160,o=[];let m=[];n.forEach((y,b)=>{y.value==null?(m.length&&o.push(m),m=[]):m.push(`${h(b).toFixed(1)},${d(y.value).toFixed(1)}`)}),m.length&&o.push(m);const v=n.map((y,b)=>({p:y,i:b})).filter(({p:y})=>y.low!=null&&y.high!=null),k=v.length>1?[...v.map(({p:y,i:b})=>`${h(b).toFixed(1)},${d(y.high??0).toFixed(1)}`),...[...v].reverse().map(({p:y,i:b})=>`${h(b).toFixed(1)},${d(y.low??0).toFixed(1)}`)].join(" "):null,I=[r,i??(r+s)/2,s],w=Math.max(1,Math.ceil(n.length/12));return e("svg",{class:"chart line",viewBox:"0 0 640 200",role:"img","aria-label":`${t}. ${n.map(y=>`${y.label}: ${y.text}`).join("; ")}`,children:[I.map(y=>e("g",{children:[e("line",{x1:36,x2:636,y1:d(y),y2:d(y),class:y===i?"zero":"grid"}),e("text",{x:30,y:d(y)+4,"text-anchor":"end",class:"tick",children:y})]},y)),k&&e("polygon",{points:k,class:"band-fill"}),o.map((y,b)=>y.length>1?e("polyline",{points:y.join(" "),class:"series"},b):null),n.map((y,b)=>y.value==null?null:e("g",{children:[e("title",{children:`${y.label}: ${y.text}`}),e("circle",{cx:h(b),cy:d(y.value),r:3.5,class:"dot"})]},y.label)),n.map((y,b)=>b%w===0||b===n.length-1?e("text",{x:h(b),y:194,"text-anchor":"middle",class:"tick",children:y.label},`l${y.label}`):null)]})}function sr({bars:n,label:t,height:r=160}){const i=Math.max(240,n.length*72),a=Math.max(0,...n.map(h=>h.value)),l=Math.min(0,...n.map(h=>h.value)),p=a-l||1,c=r-32,u=16+a/p*c,f=h=>16+(a-h)/p*c;return e("svg",{class:"chart",viewBox:`0 0 ${i} ${r+20}`,role:"img","aria-label":`${t}. ${n.map(h=>`${h.label}: ${h.text}`).join("; ")}`,children:[e("line",{x1:0,x2:i,y1:u,y2:u,class:"zero"}),n.map((h,d)=>{const o=h.value<0,m=o?u:f(h.value),v=Math.max(o?f(h.value)-u:u-f(h.value),h.value===0?0:1);return e("g",{children:[e("title",{children:`${h.label}: ${h.text}`}),e("rect",{x:d*72+4,y:m,width:64,height:v,class:o?"bar loss":"bar"}),e("text",{x:d*72+72/2,y:o?m+v+12:m-4,"text-anchor":"middle",class:"tick",children:h.text}),e("text",{x:d*72+72/2,y:r+14,"text-anchor":"middle",class:"tick",children:h.label})]},`${d}-${h.label}`)})]})}const de="/console";function vn(){const n=location.pathname.startsWith(de)?location.pathname.slice(de.length):"/";return n===""?"/":n}const Ie=new Set;window.addEventListener("popstate",()=>Ie.forEach(n=>n()));function en(n){history.pushState(null,"",de+n),Ie.forEach(t=>t()),window.scrollTo(0,0)}function ir(){const[n,t]=_(vn());return Z(()=>{const r=()=>t(vn());return Ie.add(r),()=>Ie.delete(r)},[]),n}function ar(n){const t=n.currentTarget??null;if(!t||n.defaultPrevented||n.button!==0||n.metaKey||n.ctrlKey||n.shiftKey||n.altKey)return;const r=t.getAttribute("href")??"";r.startsWith(de)&&(n.preventDefault(),en(r.slice(de.length)||"/"))}const jn=at(null);function oe(){const n=dt(jn);if(!n)throw new Error("no session");return n}function ue(n,t){switch(t){case"deals":case"segments":case"complaints":return["owner","admin","manager","agent"].includes(n.role);case"campaigns":case"offers":return["owner","admin","manager"].includes(n.role);case"admin":return["owner","admin"].includes(n.role)}}function ye({notice:n,testid:t}){return e("div",{"aria-live":"polite",children:n&&e("p",{class:`notice ${n.ok?"ok":"conflict"}`,role:n.ok?"status":"alert","data-testid":t,children:n.text})})}function B(n){return e("a",{href:de+n.href,onClick:ar,class:n.class,"aria-current":n["aria-current"],children:n.children})}function W({what:n}){return e("p",{class:"state loading",role:"status","aria-live":"polite",children:["Loading ",n,"…"]})}function N({children:n}){return e("p",{class:"state empty",children:n})}function K({error:n,retry:t}){return e("div",{class:"state error",role:"alert",children:[e("p",{children:Q(n)}),t&&e("button",{type:"button",onClick:t,children:"Try again"})]})}function Q(n){return n instanceof X?n.message:"Something went wrong in the console. Reload the page and try again."}function z(n,t){const[r,s]=_({status:"loading"}),[i,a]=_(0),l=me(0);Z(()=>{const c=++l.current;s(u=>u.status==="ok"&&i>0?u:{status:"loading"}),n().then(u=>c===l.current&&s({status:"ok",data:u}),u=>c===l.current&&s({status:"error",error:u}))},[t,i]);const p=ct(()=>a(c=>c+1),[]);return{...r,reload:p}}function F({title:n,children:t,actions:r}){return Z(()=>{document.title=`${n} · Rapport`},[n]),e("section",{class:"page","aria-labelledby":"page-title",children:[e("header",{class:"page-head",children:[e("h1",{id:"page-title",children:n}),r]}),t]})}const or=T(`
  query Campaigns {
    campaigns(first: 100) {
      nodes {
        id
        name
        channel
        status
        segmentId
        launchedAt
        endsAt
        controlShare
        audience {
          eligible
          treated
          control
        }
      }
    }
    segments(first: 100) {
      nodes {
        id
        name
      }
    }
  }
`),lr=T(`
  query CampaignResults($id: ID!) {
    campaignResults(id: $id) {
      status
      currency
      windowStart
      windowEnd
      windowOpen
      cost
      romi
      total {
        ...ArmComparisonParts
      }
      byRfmSegment {
        ...ArmComparisonParts
      }
    }
  }
  fragment ArmComparisonParts on ArmComparison {
    group
    incrementalRevenue
    incrementalMargin
    significance
    treatment {
      members
      buyers
      conversionRate
      revenuePerMember
    }
    control {
      members
      buyers
      conversionRate
      revenuePerMember
    }
    conversionUplift {
      difference
      relative
      ciLow
      ciHigh
      pValue
      significance
    }
  }
`),cr=T(`
  mutation CreateCampaign($input: CampaignInput!, $key: String) {
    createCampaign(input: $input, idempotencyKey: $key) {
      id
      name
    }
  }
`),dr=T(`
  mutation LaunchCampaign($id: ID!, $key: String) {
    launchCampaign(id: $id, idempotencyKey: $key) {
      id
      status
      audience {
        treated
        control
      }
    }
  }
`),ur=["in_store","call","direct_mail","email","sms","push"];function hr({id:n}){const t=z(()=>D(lr,{id:n}),n);if(t.status==="loading")return e(W,{what:"results"});if(t.status==="error")return e(K,{error:t.error,retry:t.reload});const r=t.data.campaignResults,s=r.total,i=[s,...r.byRfmSegment.filter(l=>l.treatment.members>0)].map(l=>({label:l.group==="all"?"All members":x(l.group),estimate:l.conversionUplift.difference*100,low:l.conversionUplift.ciLow==null?null:l.conversionUplift.ciLow*100,high:l.conversionUplift.ciHigh==null?null:l.conversionUplift.ciHigh*100,text:`${(l.conversionUplift.difference*100).toFixed(1)} points`+(l.conversionUplift.ciLow!=null&&l.conversionUplift.ciHigh!=null?` (95 % interval ${(l.conversionUplift.ciLow*100).toFixed(1)} to ${(l.conversionUplift.ciHigh*100).toFixed(1)})`:" (too few members for an interval)")})),a=s.conversionUplift;return e("div",{"data-testid":"results",children:[e("p",{children:[r.windowOpen?"The attribution window is still open (figures will move): ":"Final results: ",q(s.treatment.conversionRate,1)," of treated members bought against ",q(s.control.conversionRate,1)," in the control group, an uplift of ",e("strong",{children:[(a.difference*100).toFixed(1)," percentage points"]}),a.ciLow!=null&&a.ciHigh!=null?` (95 % interval ${(a.ciLow*100).toFixed(1)} to ${(a.ciHigh*100).toFixed(1)})`:"",", which is"," ",a.significance==="significant"?"statistically significant":a.significance==="not_significant"?"not statistically significant":"not yet measurable (too little data)","."]}),e("table",{class:"list compact","aria-label":"Arms",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Arm"}),e("th",{scope:"col",class:"num",children:"Members"}),e("th",{scope:"col",class:"num",children:"Buyers"}),e("th",{scope:"col",class:"num",children:"Conversion"}),e("th",{scope:"col",class:"num",children:"Revenue per member"})]})}),e("tbody",{children:[["Treated",s.treatment],["Control",s.control]].map(([l,p])=>e("tr",{children:[e("td",{children:l}),e("td",{class:"num",children:$(p.members)}),e("td",{class:"num",children:$(p.buyers)}),e("td",{class:"num",children:q(p.conversionRate,1)}),e("td",{class:"num",children:C(Math.round(p.revenuePerMember),r.currency)})]},l))})]}),e(We,{rows:i,label:"Conversion uplift in percentage points with 95 % intervals"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"Incremental revenue"}),e("dd",{children:C(s.incrementalRevenue,r.currency)})]}),e("div",{children:[e("dt",{children:"Incremental margin"}),e("dd",{children:C(s.incrementalMargin,r.currency)})]}),e("div",{children:[e("dt",{children:"Cost"}),e("dd",{children:C(r.cost,r.currency)})]}),e("div",{children:[e("dt",{children:"ROMI"}),e("dd",{children:r.romi==null?"free campaign":q(r.romi)})]})]}),e("p",{class:"muted small",children:["Window ",M(r.windowStart)," to ",M(r.windowEnd)," · ",$(s.treatment.members)," treated, ",$(s.control.members)," in control."]})]})}function mr({selected:n}){const t=oe(),r=ue(t,"campaigns"),s=z(()=>D(or),"campaigns"),[i,a]=_(""),[l,p]=_(""),[c,u]=_("in_store"),[f,h]=_("10"),[d,o]=_(!1),[m,v]=_(null);if(s.status==="loading")return e(W,{what:"campaigns"});if(s.status==="error")return e(K,{error:s.error,retry:s.reload});const{campaigns:k,segments:I}=s.data,w=new Map(I.nodes.map(g=>[g.id,g.name])),y=k.nodes.find(g=>g.id===n)??null,b=async g=>{g.preventDefault(),o(!0),v(null);try{const R=Number(f)/100,L=await D(cr,{input:{name:i.trim(),segmentId:l||(I.nodes[0]?.id??""),channel:c,controlShare:R,costFixed:0,costPerContact:0},key:re()});v({ok:!0,text:`Draft “${L.createCampaign.name}” created. Launch it when ready.`}),a(""),s.reload()}catch(R){v({ok:!1,text:Q(R)})}finally{o(!1)}},S=async(g,R)=>{o(!0),v(null);try{const Y=(await D(dr,{id:g,key:re()})).launchCampaign.audience;v({ok:!0,text:`“${R}” launched: ${Y?`${$(Y.treated)} customers treated, ${$(Y.control)} held out as control`:"audience drawn"}.`}),s.reload()}catch(L){v({ok:!1,text:Q(L)})}finally{o(!1)}};return e(F,{title:"Campaigns",children:[e("div",{"aria-live":"polite",children:m&&e("p",{class:`notice ${m.ok?"ok":"conflict"}`,role:m.ok?"status":"alert","data-testid":"campaign-notice",children:m.text})}),e("div",{class:"grid",children:[e("article",{class:"card wide","aria-labelledby":"list-h",children:[e("h2",{id:"list-h",children:"All campaigns"}),k.nodes.length===0?e(N,{children:"No campaign yet."}):e("table",{class:"list","aria-labelledby":"list-h",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Name"}),e("th",{scope:"col",children:"Segment"}),e("th",{scope:"col",children:"Channel"}),e("th",{scope:"col",children:"Status"}),e("th",{scope:"col",class:"num",children:"Treated / control"}),e("th",{scope:"col",children:e("span",{class:"muted small",children:"Action"})})]})}),e("tbody",{children:k.nodes.map(g=>e("tr",{children:[e("td",{children:g.status==="draft"?g.name:e(B,{href:`/campaigns/${encodeURIComponent(g.id)}`,children:g.name})}),e("td",{children:w.get(g.segmentId)??"—"}),e("td",{children:x(g.channel)}),e("td",{children:[x(g.status),g.launchedAt?` ${M(g.launchedAt)}`:""]}),e("td",{class:"num",children:g.audience?`${$(g.audience.treated)} / ${$(g.audience.control)}`:"—"}),e("td",{children:[g.status==="draft"&&r&&e("button",{type:"button",disabled:d,onClick:()=>{S(g.id,g.name)},children:["Launch “",g.name,"”"]}),g.status!=="draft"&&e("button",{type:"button",class:"secondary",onClick:()=>en(`/campaigns/${encodeURIComponent(g.id)}`),children:"Results"})]})]},g.id))})]})]}),y&&y.status!=="draft"&&e("article",{class:"card wide","aria-labelledby":"results-h",children:[e("h2",{id:"results-h",children:["Results: ",y.name]}),e(hr,{id:y.id})]}),r&&e("article",{class:"card","aria-labelledby":"new-h",children:[e("h2",{id:"new-h",children:"New campaign"}),I.nodes.length===0?e(N,{children:["A campaign targets a segment: ",e(B,{href:"/segments",children:"build one first"}),"."]}):e("form",{onSubmit:g=>{b(g)},class:"rule",children:[e("label",{children:["Name",e("input",{name:"campaign-name",required:!0,maxLength:200,value:i,onInput:g=>a(g.currentTarget.value)})]}),e("label",{children:["Segment",e("select",{name:"campaign-segment",value:l||I.nodes[0]?.id,onChange:g=>p(g.currentTarget.value),children:I.nodes.map(g=>e("option",{value:g.id,children:g.name},g.id))})]}),e("label",{children:["Channel",e("select",{value:c,onChange:g=>u(g.currentTarget.value),children:ur.map(g=>e("option",{value:g,children:x(g)},g))})]}),e("label",{children:["Control group (% held out)",e("input",{type:"number",min:1,max:90,value:f,onInput:g=>h(g.currentTarget.value)})]}),e("button",{type:"submit",disabled:d||!i.trim(),children:"Create draft"})]})]})]})]})}const pr=T(`
  query Cohorts($from: String!) {
    cohortReport(period: "month", from: $from) {
      currency
      cohorts {
        cohort
        customers
        periods {
          periodNumber
          period
          activeCustomers
          retention
          cumulativeRevenuePerCustomer
        }
      }
    }
  }
`);function fr(n){const t=new Date;return t.setUTCDate(1),t.setUTCMonth(t.getUTCMonth()-n),t.toISOString().slice(0,10)}function yr(){const n=z(()=>D(pr,{from:fr(12)}),"cohorts");if(n.status==="loading")return e(W,{what:"cohorts"});if(n.status==="error")return e(K,{error:n.error,retry:n.reload});const t=n.data.cohortReport,r=t.cohorts.filter(i=>i.customers>0),s=Math.max(0,...r.map(i=>i.periods.length));return e(F,{title:"Cohorts",children:r.length===0?e(N,{children:"No first purchases in the last twelve months."}):e("article",{class:"card","aria-labelledby":"cohort-h",children:[e("h2",{id:"cohort-h",children:"Retention by month of first purchase"}),e("p",{class:"muted small",children:"Each row is the customers who first bought in that month; each cell, the share of them who bought again that many months later (month 0 is their first)."}),e(rr,{label:`Monthly retention of ${r.length} cohorts`,columns:Array.from({length:s},(i,a)=>`M${a}`),rows:r.map(i=>({label:i.cohort,note:`(${i.customers})`,cells:i.periods.map(a=>({value:a.retention,text:q(a.retention),title:`${i.cohort}, month ${a.periodNumber} (${a.period}): ${a.activeCustomers} of ${i.customers} bought (${q(a.retention,1)}); ${C(a.cumulativeRevenuePerCustomer,t.currency)} revenue per customer so far`}))}))})]})})}const gr=T(`
  query Offers {
    offers(first: 200) {
      nodes {
        id
        name
        description
        kind
        percent
        amount
        currency
        points
        pointsMultiplier
        benefit
        status
        issued
        redemptions
        spent
        budget
        campaignId
        validUntil
        voucherValidDays
        version
      }
    }
    campaigns(first: 100) {
      nodes {
        id
        name
      }
    }
    segments(first: 100) {
      nodes {
        id
        name
      }
    }
  }
`),vr=T(`
  mutation CreateOffer($input: OfferInput!, $key: String) {
    createOffer(input: $input, idempotencyKey: $key) {
      id
      name
      status
    }
  }
`),br=T(`
  mutation SetOfferStatus($id: ID!, $patch: JSON!, $version: Int) {
    updateOffer(id: $id, patch: $patch, ifVersion: $version) {
      id
      status
    }
  }
`),_r=T(`
  mutation IssueOffer($id: ID!, $input: IssueOfferInput!, $key: String) {
    issueOffer(id: $id, input: $input, idempotencyKey: $key) {
      issued
      alreadyHolding
      ineligible
    }
  }
`);function Jn(n){switch(n.kind){case"percent_discount":return`${n.percent??"?"} % off`;case"fixed_discount":return`${C(n.amount,n.currency??void 0)} off`;case"bonus_points":return n.pointsMultiplier!=null?`${n.pointsMultiplier}× points`:`${$(n.points??0)} bonus points`;case"free_reward":return"a free reward";case"free_shipping":return"free shipping";default:return n.benefit??"a custom benefit"}}const wr=[["percent_discount","Percent off"],["fixed_discount","Amount off"],["bonus_points","Bonus points"],["free_shipping","Free shipping"],["custom","Custom benefit"]];function $r({campaigns:n,currency:t,done:r}){const[s,i]=_(""),[a,l]=_("percent_discount"),[p,c]=_("10"),[u,f]=_(""),[h,d]=_(""),[o,m]=_("30"),[v,k]=_("paused"),[I,w]=_(!1),y=async b=>{b.preventDefault(),w(!0);try{const S=Number(p),g={name:s.trim(),kind:a,status:v,campaignId:h||null,voucherValidDays:o?Number(o):null,percent:a==="percent_discount"?Math.round(S):null,amount:a==="fixed_discount"?String(Math.round(S*100)):null,currency:a==="fixed_discount"?t:null,points:a==="bonus_points"?String(Math.round(S)):null,benefit:a==="custom"?u.trim():null},R=await D(vr,{input:g,key:re()});r(`Offer “${R.createOffer.name}” created (${R.createOffer.status==="active"?"active":"paused: activate it when ready"}).`,!0),i("")}catch(S){r(Q(S),!1)}finally{w(!1)}};return e("form",{onSubmit:b=>{y(b)},class:"rule",children:[e("label",{children:["Offer name",e("input",{name:"offer-name",required:!0,maxLength:200,value:s,onInput:b=>i(b.currentTarget.value)})]}),e("label",{children:["Benefit",e("select",{name:"offer-kind",value:a,onChange:b=>l(b.currentTarget.value),children:wr.map(([b,S])=>e("option",{value:b,children:S},b))})]}),a==="percent_discount"&&e("label",{children:["Percent off (1 to 99)",e("input",{type:"number",name:"offer-percent",min:1,max:99,required:!0,value:p,onInput:b=>c(b.currentTarget.value)})]}),a==="fixed_discount"&&e("label",{children:["Amount off (",t,")",e("input",{type:"number",name:"offer-amount",min:.01,step:.01,required:!0,value:p,onInput:b=>c(b.currentTarget.value)})]}),a==="bonus_points"&&e("label",{children:["Bonus points",e("input",{type:"number",name:"offer-points",min:1,step:1,required:!0,value:p,onInput:b=>c(b.currentTarget.value)})]}),a==="custom"&&e("label",{children:["The benefit in words",e("input",{name:"offer-benefit",required:!0,maxLength:500,value:u,onInput:b=>f(b.currentTarget.value)})]}),e("label",{children:["Campaign (redemptions are attributed to it)",e("select",{name:"offer-campaign",value:h,onChange:b=>d(b.currentTarget.value),children:[e("option",{value:"",children:"None"}),n.map(b=>e("option",{value:b.id,children:b.name},b.id))]})]}),e("label",{children:["Vouchers valid for (days; empty: until the offer ends)",e("input",{type:"number",name:"offer-valid-days",min:1,max:3650,value:o,onInput:b=>m(b.currentTarget.value)})]}),e("label",{children:["Start",e("select",{name:"offer-status",value:v,onChange:b=>k(b.currentTarget.value),children:[e("option",{value:"paused",children:"Paused (activate later)"}),e("option",{value:"active",children:"Active now"})]})]}),e("button",{type:"submit",disabled:I||!s.trim(),children:"Create offer"})]})}function kr({offers:n,segments:t,done:r}){const s=n.filter(o=>o.status==="active"),[i,a]=_(""),[l,p]=_(""),[c,u]=_(!1);if(s.length===0)return e(N,{children:"Activate an offer to issue it."});if(t.length===0)return e(N,{children:["Offers are issued to a segment’s members: ",e(B,{href:"/segments",children:"build one first"}),"."]});const f=s.find(o=>o.id===i)??s[0],h=t.find(o=>o.id===l)??t[0],d=async o=>{if(o.preventDefault(),!(!f||!h)){u(!0);try{const m=(await D(_r,{id:f.id,input:{segmentId:h.id},key:re()})).issueOffer;r(`“${f.name}” issued to ${$(m.issued)} members of “${h.name}”`+(m.alreadyHolding>0?`; ${$(m.alreadyHolding)} already held an open voucher`:"")+(m.ineligible>0?`; ${$(m.ineligible)} did not meet its conditions`:"")+".",!0)}catch(m){r(Q(m),!1)}finally{u(!1)}}};return e("form",{onSubmit:o=>{d(o)},class:"rule",children:[e("label",{children:["Offer",e("select",{name:"issue-offer",value:f?.id,onChange:o=>a(o.currentTarget.value),children:s.map(o=>e("option",{value:o.id,children:o.name},o.id))})]}),e("label",{children:["Segment",e("select",{name:"issue-segment",value:h?.id,onChange:o=>p(o.currentTarget.value),children:t.map(o=>e("option",{value:o.id,children:o.name},o.id))})]}),e("p",{class:"small muted",children:"Each member gets a personal voucher code; those who already hold one of this offer, or do not meet its conditions, are left out."}),e("button",{type:"submit",disabled:c,children:"Issue vouchers"})]})}function Cr(){const n=oe(),t=ue(n,"offers"),r=z(()=>D(gr),"offers"),[s,i]=_(null),[a,l]=_(!1);if(r.status==="loading")return e(W,{what:"offers"});if(r.status==="error")return e(K,{error:r.error,retry:r.reload});const{offers:p,campaigns:c,segments:u}=r.data,f=new Map(c.nodes.map(m=>[m.id,m.name])),h=(m,v)=>{i({ok:v,text:m}),v&&r.reload()},d=async(m,v)=>{l(!0),i(null);try{await D(br,{id:m.id,patch:{status:v},version:m.version}),h(`“${m.name}” is ${v==="active"?"active: it can be issued and redeemed":"paused: no issue, no redemption"}.`,!0)}catch(k){h(Q(k),!1),r.reload()}finally{l(!1)}},o=[...p.nodes].reverse();return e(F,{title:"Offers",children:[e(ye,{notice:s,testid:"offer-notice"}),e("div",{class:"grid",children:[e("article",{class:"card wide","aria-labelledby":"offers-h",children:[e("h2",{id:"offers-h",children:"All offers"}),o.length===0?e(N,{children:["No offer yet",t?": create one below.":"."]}):e("table",{class:"list","aria-labelledby":"offers-h",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Offer"}),e("th",{scope:"col",children:"Status"}),e("th",{scope:"col",children:"Campaign"}),e("th",{scope:"col",class:"num",children:"Issued"}),e("th",{scope:"col",class:"num",children:"Redeemed"}),e("th",{scope:"col",children:"Redemption rate"}),e("th",{scope:"col",class:"num",children:"Cost"}),t&&e("th",{scope:"col",children:e("span",{class:"muted small",children:"Action"})})]})}),e("tbody",{children:o.map(m=>{const v=m.issued>0?m.redemptions/m.issued:null;return e("tr",{"data-offer":m.name,children:[e("td",{children:[e("strong",{children:m.name}),e("div",{class:"small muted",children:[Jn(m),m.voucherValidDays?` · vouchers valid ${m.voucherValidDays} days`:"",m.validUntil?` · ends ${M(m.validUntil)}`:""]})]}),e("td",{children:e("span",{class:`flag ${m.status==="active"?"ok":"warn"}`,children:m.status==="active"?"Active":"Paused"})}),e("td",{children:m.campaignId?e(B,{href:`/campaigns/${encodeURIComponent(m.campaignId)}`,children:f.get(m.campaignId)??"its campaign"}):"—"}),e("td",{class:"num",children:$(m.issued)}),e("td",{class:"num",children:$(m.redemptions)}),e("td",{children:v==null?e("span",{class:"muted",children:"none issued"}):e("span",{class:"spark-row",children:[e(zn,{value:v,label:`${m.name} redemption rate`,tone:v>=.2?"good":v>=.05?"warn":"bad"})," ",q(v,1)]})}),e("td",{class:"num",children:[C(m.spent),m.budget!=null?e("div",{class:"small muted",children:["of ",C(m.budget)]}):null]}),t&&e("td",{children:m.status==="active"?e("button",{type:"button",class:"secondary",disabled:a,onClick:()=>{d(m,"paused")},children:["Pause “",m.name,"”"]}):e("button",{type:"button",disabled:a,onClick:()=>{d(m,"active")},children:["Activate “",m.name,"”"]})})]},m.id)})})]}),e("p",{class:"small muted",children:"Redemption rate: vouchers redeemed by an order over vouchers issued. Cost: discounts given plus the offer’s cost per redemption."})]}),t&&e("article",{class:"card","aria-labelledby":"new-offer-h",children:[e("h2",{id:"new-offer-h",children:"New offer"}),e($r,{campaigns:c.nodes,currency:n.currency,done:h})]}),t&&e("article",{class:"card","aria-labelledby":"issue-h",children:[e("h2",{id:"issue-h",children:"Issue to a segment"}),e(kr,{offers:p.nodes,segments:u.nodes,done:h})]})]})]})}const Sr=T(`
  query Customer360($id: ID!) {
    account(id: $id) {
      id
      name
      kind
      emails
      phones
      tags
      lifecycleStage
      acquisitionChannel
      createdAt
      metrics {
        currency
        ordersCount
        revenue
        margin
        averageOrderValue
        firstOrderAt
        lastOrderAt
        repeatPurchases
        rfm {
          r
          f
          m
          segment
          label
        }
        pAlive
        churnProbability
        riskBand
        expectedOrders90d
        expectedOrderValue
        clv
        spendModel
        predictionsUnavailable
      }
      interactions(first: 12) {
        nodes {
          id
          type
          channel
          direction
          subject
          occurredAt
        }
      }
      orders(first: 12) {
        nodes {
          id
          externalId
          amount
          currency
          refundedAmount
          status
          occurredAt
          channel
        }
      }
      nextBestOffers {
        offer {
          id
          name
          kind
          percent
          amount
          currency
          points
          pointsMultiplier
          benefit
        }
        expectedIncrementalMargin
        explanation
      }
      recommendations(limit: 5) {
        data {
          sku
          name
          reason
          explanation
        }
      }
      satisfaction {
        nps
        npsCategory
        npsAt
        csat
        csatAt
        ces
        cesAt
        responses
        openComplaints
      }
      feedback(first: 5) {
        nodes {
          id
          nps
          csat
          ces
          touchpoint
          channel
          comment
          occurredAt
        }
      }
      complaints(first: 5) {
        nodes {
          id
          subject
          status
          severity
          openedAt
          firstResponseBreached
          resolutionBreached
        }
      }
    }
    accountOffers(accountId: $id, stateFilter: "all", first: 8) {
      nodes {
        voucher {
          id
          code
          state
          validUntil
          issuedAt
          redeemedAt
        }
        offer {
          name
        }
      }
    }
    loyaltyBalance(accountId: $id) {
      available
      pending
      expiringIn30Days
      lifetimeEarned
      tier {
        name
      }
      nextTier {
        name
        missing
      }
    }
    loyaltyProgram {
      currency
      qualification
    }
    loyaltyLedger(accountId: $id, first: 6) {
      nodes {
        id
        kind
        points
        reason
        occurredAt
      }
    }
    deals(first: 20, filter: { accountId: $id, status: "open" }) {
      nodes {
        id
        title
        amount
        currency
        stageId
        expectedCloseOn
      }
    }
    pipelines(first: 20) {
      nodes {
        stages {
          id
          name
        }
      }
    }
  }
`),Ar={healthy:"Healthy: very likely still buying.",watch:"Watch: buying less often than their own habit suggests.",at_risk:"At risk: a long silence for someone who used to buy; worth a nudge now.",lost:"Lost: most probably no longer a customer."},bn={no_orders:"has not bought anything yet, so there is nothing to predict from",model_not_fitted:"has no predictions yet because the value model has not been fitted (an admin can fit it)",spend_model_not_fitted:"has purchase predictions but no money ones: the spend model was fitted when nobody had bought twice"};function xr(n,t){if(t.predictionsUnavailable&&t.pAlive==null)return[`${n} ${bn[t.predictionsUnavailable]??"has no predictions yet"}.`];const r=[];return t.pAlive!=null&&r.push(`There is a ${q(t.pAlive)} chance that ${n} is still an active customer (so a ${q(t.churnProbability??1-t.pAlive)} churn probability), judged from how often they bought (${t.repeatPurchases} repeat purchase days) and how long it has been since the last order (${Hn(t.lastOrderAt)}).`),t.expectedOrders90d!=null&&r.push(`In the next 90 days we expect about ${t.expectedOrders90d.toFixed(1)} orders from them.`),t.clv!=null?r.push(`Their customer lifetime value is ${C(t.clv,t.currency)}: the margin we expect them to bring over the next 12 months, discounted to today${t.expectedOrderValue!=null?`, at about ${C(t.expectedOrderValue,t.currency)} an order`:""}.`):t.predictionsUnavailable&&r.push(`No CLV: ${n} ${bn[t.predictionsUnavailable]??"has no money predictions"}.`),r}function Rr(n){return n==="healthy"?"good":n==="watch"?"warn":"bad"}const Ir=T(`
  mutation EraseAccount($id: ID!, $confirm: String!, $idempotencyKey: String) {
    eraseAccount(id: $id, confirm: $confirm, idempotencyKey: $idempotencyKey) {
      accountId
      erasedAt
      alreadyErased
      changed
    }
  }
`);function Pr({id:n,name:t}){const[r,s]=_(""),[i,a]=_(!1),[l,p]=_(!1),[c,u]=_(!1),[f,h]=_(null),d=async o=>{p(!0);try{h({ok:!0,text:await o()})}catch(m){h({ok:!1,text:Q(m)})}finally{p(!1)}};return e("article",{class:"card wide","aria-labelledby":"privacy-h",children:[e("h2",{id:"privacy-h",children:"Privacy"}),e(ye,{notice:f,testid:"privacy-notice"}),!c&&e("p",{children:[e("button",{type:"button",class:"secondary",disabled:l,onClick:()=>{d(async()=>{const o=await Wn(`/v1/accounts/${encodeURIComponent(n)}/personal-data`,`personal-data-${n}.json`);return`Everything held about ${t} was downloaded as JSON (${$(o)} bytes).`})},children:"Download personal data"})," ",!i&&e("button",{type:"button",class:"danger",disabled:l,onClick:()=>a(!0),children:"Erase…"})]}),i&&!c&&e("form",{class:"condition",onSubmit:o=>{o.preventDefault(),d(async()=>{const m=(await D(Ir,{id:n,confirm:r.trim(),idempotencyKey:re()})).eraseAccount;if(u(!0),a(!1),m.alreadyErased)return`${t} had already been erased; nothing changed.`;const v=Object.values(m.changed??{}).reduce((k,I)=>k+(typeof I=="number"?I:0),0);return`${t} was erased on ${M(m.erasedAt)}: ${$(v)} stored rows were cleared or rewritten. The account is no longer shown; its orders still count in the totals.`})},children:[e("p",{class:"small",children:["Erasing clears the person’s name, contact details, texts and custom fields everywhere, irreversibly. To confirm, type the account’s id"," ",e("code",{children:n}),"."]}),e("label",{children:["Account id",e("input",{name:"erase-confirm",autocomplete:"off",spellcheck:!1,size:40,value:r,onInput:o=>s(o.currentTarget.value)})]}),e("button",{type:"submit",class:"danger",disabled:l||r.trim()!==n,children:["Erase ",t]}),e("button",{type:"button",class:"secondary",disabled:l,onClick:()=>a(!1),children:"Cancel"})]}),c&&e("p",{children:e(B,{href:"/customers",children:"Back to customers"})})]})}function Dr({id:n}){const t=oe(),r=z(()=>(performance.clearMarks("customer-360:start"),performance.mark("customer-360:start"),D(Sr,{id:n})),n);if(Z(()=>{r.status==="ok"&&requestAnimationFrame(()=>{performance.clearMeasures("customer-360"),performance.measure("customer-360","customer-360:start")})},[r.status,n]),r.status==="loading")return e(W,{what:"the customer"});if(r.status==="error")return e(K,{error:r.error,retry:r.reload});const{account:s,loyaltyBalance:i,loyaltyProgram:a,loyaltyLedger:l,deals:p,pipelines:c,accountOffers:u}=r.data;if(!s)return e(F,{title:"Customer not found",children:e(N,{children:["There is no such customer in this workspace. ",e(B,{href:"/customers",children:"Back to customers"}),"."]})});const f=s.metrics,h=new Map(c.nodes.flatMap(o=>o.stages.map(m=>[m.id,m.name]))),d=[...s.interactions.nodes.map(o=>({at:o.occurredAt,key:`i${o.id}`,what:`${x(o.type)}${o.channel?` · ${o.channel}`:""}${o.direction?` · ${o.direction}`:""}`,text:o.subject??""})),...s.orders.nodes.map(o=>({at:o.occurredAt,key:`o${o.id}`,what:`Order${o.channel?` · ${o.channel}`:""}`,text:`${C(o.amount,o.currency)}${o.status!=="completed"?` (${x(o.status).toLowerCase()})`:""}`}))].sort((o,m)=>o.at<m.at?1:-1);return e(F,{title:s.name,children:[e("p",{class:"muted",children:[x(s.kind)," · ",x(s.lifecycleStage)," · customer since ",M(s.createdAt),s.acquisitionChannel?` · came through ${s.acquisitionChannel}`:"",s.emails.length>0?` · ${s.emails.join(", ")}`:""]}),e("div",{class:"grid",children:[e("article",{class:"card wide","aria-labelledby":"value-h",children:[e("h2",{id:"value-h",children:"Value"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"CLV (12 months)"}),e("dd",{"data-testid":"clv",children:C(f.clv,f.currency)})]}),e("div",{children:[e("dt",{children:"Revenue to date"}),e("dd",{children:C(f.revenue,f.currency)})]}),e("div",{children:[e("dt",{children:"Orders"}),e("dd",{children:$(f.ordersCount)})]}),e("div",{children:[e("dt",{children:"Average order"}),e("dd",{children:C(f.averageOrderValue,f.currency)})]}),e("div",{children:[e("dt",{children:"Last order"}),e("dd",{children:Hn(f.lastOrderAt)})]})]}),f.pAlive!=null&&e("div",{class:"meters",children:[e("span",{children:"Still active"})," ",e(zn,{value:f.pAlive,label:"Probability still active",tone:Rr(f.riskBand)})," ",e("strong",{children:q(f.pAlive)})]}),e("div",{class:"explain","data-testid":"explain",children:xr(s.name,f).map(o=>e("p",{children:o},o))})]}),e("article",{class:"card","aria-labelledby":"rfm-h",children:[e("h2",{id:"rfm-h",children:"RFM and risk"}),f.rfm?e(V,{children:[e("p",{class:"big",children:f.rfm.label}),e("p",{children:["Recency ",f.rfm.r,"/5 · Frequency ",f.rfm.f,"/5 · Monetary ",f.rfm.m,"/5"]})]}):e("p",{class:"muted",children:"Not scored yet (no orders, or the breakpoints are not fitted)."}),f.riskBand&&e("p",{children:[e("span",{class:`band ${f.riskBand}`,children:x(f.riskBand)})," ",Ar[f.riskBand]??""]})]}),e("article",{class:"card","aria-labelledby":"loyalty-h",children:[e("h2",{id:"loyalty-h",children:"Loyalty"}),i?e(V,{children:[e("p",{class:"big",children:[$(i.available)," points"]}),e("p",{children:[i.tier?`${i.tier.name} tier`:"No tier yet",i.nextTier?` · ${a?.qualification==="spend"?`${C(i.nextTier.missing,a.currency)} more spend`:`${$(i.nextTier.missing)} more points`} to ${i.nextTier.name}`:""]}),e("p",{class:"muted small",children:[$(i.pending)," pending · ",$(i.expiringIn30Days)," expiring within 30 days · ",$(i.lifetimeEarned)," earned in all"]}),l.nodes.length>0&&e("table",{class:"list compact","aria-label":"Latest loyalty ledger entries",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Date"}),e("th",{scope:"col",children:"Entry"}),e("th",{scope:"col",class:"num",children:"Points"})]})}),e("tbody",{children:l.nodes.map(o=>e("tr",{children:[e("td",{children:M(o.occurredAt)}),e("td",{children:[x(o.kind),o.reason?` · ${o.reason}`:""]}),e("td",{class:"num",children:j(o.points)>0?`+${$(o.points)}`:$(o.points)})]},o.id))})]})]}):e("p",{class:"muted",children:"Not a loyalty member (or no programme)."})]}),e("article",{class:"card","aria-labelledby":"deals-h",children:[e("h2",{id:"deals-h",children:"Open deals"}),p.nodes.length===0?e("p",{class:"muted",children:"No open deal."}):e("ul",{class:"plain",children:p.nodes.map(o=>e("li",{children:[e("strong",{children:o.title})," · ",C(o.amount,o.currency)," · ",h.get(o.stageId)??"stage",o.expectedCloseOn?` · closes ${M(o.expectedCloseOn)}`:""]},o.id))})]}),e("article",{class:"card","aria-labelledby":"offers-h",children:[e("h2",{id:"offers-h",children:"Offers and vouchers"}),s.nextBestOffers.length===0?e("p",{class:"muted",children:"No active offer this customer may get now."}):e(V,{children:[e("h3",{class:"small",children:"Next best offers"}),e("ol",{class:"plain","data-testid":"next-best-offers",children:s.nextBestOffers.slice(0,3).map(o=>e("li",{children:[e("strong",{children:o.offer.name})," (",Jn(o.offer),") · ",C(Math.round(o.expectedIncrementalMargin))," expected extra margin",e("div",{class:"small muted",children:o.explanation})]},o.offer.id))})]}),u.nodes.length>0&&e(V,{children:[e("h3",{class:"small",children:"Vouchers"}),e("ul",{class:"plain","aria-label":"Vouchers",children:u.nodes.map(o=>e("li",{children:[e("code",{children:o.voucher.code})," · ",o.offer.name," · ",x(o.voucher.state),o.voucher.redeemedAt?` ${M(o.voucher.redeemedAt)}`:o.voucher.validUntil?` · valid until ${M(o.voucher.validUntil)}`:""]},o.voucher.id))})]})]}),e("article",{class:"card","aria-labelledby":"feedback-h",children:[e("h2",{id:"feedback-h",children:"Feedback"}),s.satisfaction?e(V,{children:[e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"Latest NPS"}),e("dd",{children:[s.satisfaction.nps??"—",s.satisfaction.npsCategory?e("span",{class:`band ${s.satisfaction.npsCategory==="promoter"?"healthy":s.satisfaction.npsCategory==="passive"?"watch":"at_risk"}`,children:x(s.satisfaction.npsCategory)}):null]})]}),e("div",{children:[e("dt",{children:"CSAT"}),e("dd",{children:s.satisfaction.csat!=null?`${s.satisfaction.csat}/5`:"—"})]}),e("div",{children:[e("dt",{children:"Effort"}),e("dd",{children:s.satisfaction.ces!=null?`${s.satisfaction.ces}/7`:"—"})]})]}),e("p",{class:"muted small",children:[$(s.satisfaction.responses)," answers · ",$(s.satisfaction.openComplaints)," complaints being worked on"]})]}):e("p",{class:"muted",children:"No survey answer or complaint yet."}),s.feedback.nodes.length>0&&e("ul",{class:"plain","aria-label":"Survey answers",children:s.feedback.nodes.map(o=>e("li",{children:[e("span",{class:"muted",children:M(o.occurredAt)})," ",x(o.touchpoint),o.nps!=null?` · NPS ${o.nps}`:"",o.csat!=null?` · CSAT ${o.csat}`:"",o.ces!=null?` · CES ${o.ces}`:"",o.comment?e("div",{class:"small",children:["“",o.comment,"”"]}):null]},o.id))}),s.complaints.nodes.length>0&&e(V,{children:[e("h3",{class:"small",children:"Complaints"}),e("ul",{class:"plain","aria-label":"Complaints",children:s.complaints.nodes.map(o=>e("li",{children:[e(B,{href:`/feedback/complaints/${encodeURIComponent(o.id)}`,children:o.subject})," · ",x(o.status)," · ",M(o.openedAt),o.firstResponseBreached||o.resolutionBreached?e("span",{class:"flag bad",children:"SLA breached"}):null]},o.id))})]})]}),s.recommendations.data.length>0&&e("article",{class:"card","aria-labelledby":"reco-h",children:[e("h2",{id:"reco-h",children:"Recommended products"}),e("ul",{class:"plain",children:s.recommendations.data.map(o=>e("li",{children:[e("strong",{children:o.name??o.sku})," · ",o.reason==="due_again"?"due again":"bought together",e("div",{class:"small muted",children:o.explanation})]},o.sku))})]}),e("article",{class:"card wide","aria-labelledby":"timeline-h",children:[e("h2",{id:"timeline-h",children:"Timeline"}),d.length===0?e("p",{class:"muted",children:"Nothing has happened with this customer yet."}):e("ol",{class:"timeline",children:d.map(o=>e("li",{children:[e("time",{dateTime:o.at,children:M(o.at)})," ",e("strong",{children:o.what})," ",o.text]},o.key))})]}),e("article",{class:"card wide","aria-labelledby":"orders-h",children:[e("h2",{id:"orders-h",children:"Recent orders"}),s.orders.nodes.length===0?e("p",{class:"muted",children:"No orders."}):e("table",{class:"list","aria-labelledby":"orders-h",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Date"}),e("th",{scope:"col",children:"Reference"}),e("th",{scope:"col",children:"Channel"}),e("th",{scope:"col",children:"Status"}),e("th",{scope:"col",class:"num",children:"Amount"})]})}),e("tbody",{children:s.orders.nodes.map(o=>e("tr",{children:[e("td",{children:M(o.occurredAt)}),e("td",{children:o.externalId??"—"}),e("td",{children:o.channel??"—"}),e("td",{children:x(o.status)}),e("td",{class:"num",children:C(o.amount,o.currency)})]},o.id))})]})]}),ue(t,"admin")&&e(Pr,{id:s.id,name:s.name})]})]})}const Tr=T(`
  query Customers($first: Int!, $after: String, $filter: AccountFilterInput, $withSegments: Boolean!) {
    accounts(first: $first, after: $after, filter: $filter, sort: "name") {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        name
        kind
        lifecycleStage
        emails
        metrics {
          ordersCount
          revenue
          clv
          riskBand
          rfm {
            label
          }
        }
      }
    }
    segments(first: 100) @include(if: $withSegments) {
      nodes {
        id
        name
      }
    }
  }
`),Nr=50;function Mr(){const[n,t]=_(""),[r,s]=_(""),[i,a]=_(""),[l,p]=_(""),[c,u]=_(""),[f,h]=_(null),[d,o]=_([]),[m,v]=_(null),[k,I]=_(!1),[w,y]=_("loading"),[b,S]=_(null),g=me(0),R=me(null),L=me(!1),Y=me({generation:0,cursor:null});Z(()=>{const A=setTimeout(()=>s(n.trim()),250);return()=>clearTimeout(A)},[n]);const H=async A=>{const ie=g.current;L.current=!0;try{const he={...r?{q:r}:{},...i?{segmentId:i}:{},...l?{lifecycleStage:l}:{},...c?{kind:c}:{}},G=await D(Tr,{first:Nr,after:A,filter:he,withSegments:f===null});if(ie!==g.current)return;G.segments&&h(G.segments.nodes),o(ge=>{if(!A)return G.accounts.nodes;const Gn=new Set(ge.map(Oe=>Oe.id));return[...ge,...G.accounts.nodes.filter(Oe=>!Gn.has(Oe.id))]}),Y.current={generation:ie,cursor:G.accounts.pageInfo.endCursor??null},v(G.accounts.pageInfo.endCursor??null),I(G.accounts.pageInfo.hasNextPage),y("ok")}catch(he){if(ie!==g.current)return;S(he),y("error")}finally{ie===g.current&&(L.current=!1)}};return Z(()=>{g.current++,L.current=!1,Y.current={generation:g.current,cursor:null},I(!1),v(null),y("loading"),o([]),H(null)},[r,i,l,c]),Z(()=>{const A=R.current;if(!A||!k)return;const ie=new IntersectionObserver(he=>{const G=Y.current;he.some(ge=>ge.isIntersecting)&&!L.current&&G.cursor&&G.generation===g.current&&H(G.cursor)});return ie.observe(A),()=>ie.disconnect()},[k,m,d.length]),e(F,{title:"Customers",children:[e("form",{class:"filters",role:"search",onSubmit:A=>A.preventDefault(),children:[e("label",{children:["Search",e("input",{type:"search",name:"q",placeholder:"Name, e-mail or phone",value:n,onInput:A=>t(A.currentTarget.value)})]}),e("label",{children:["Segment",e("select",{name:"segment",value:i,onChange:A=>a(A.currentTarget.value),children:[e("option",{value:"",children:"All customers"}),(f??[]).map(A=>e("option",{value:A.id,children:A.name},A.id))]})]}),e("label",{children:["Stage",e("select",{name:"stage",value:l,onChange:A=>p(A.currentTarget.value),children:[e("option",{value:"",children:"Any stage"}),["lead","prospect","customer","churned"].map(A=>e("option",{value:A,children:x(A)},A))]})]}),e("label",{children:["Kind",e("select",{name:"kind",value:c,onChange:A=>u(A.currentTarget.value),children:[e("option",{value:"",children:"People and organizations"}),e("option",{value:"person",children:"People"}),e("option",{value:"organization",children:"Organizations"})]})]})]}),w==="loading"&&e(W,{what:"customers"}),w==="error"&&e(K,{error:b,retry:()=>{H(null)}}),w==="ok"&&d.length===0&&e(N,{children:["No customer matches ",r?`“${r}”`:"this filter","."]}),d.length>0&&e("table",{class:"list","aria-label":"Customers",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Name"}),e("th",{scope:"col",children:"Stage"}),e("th",{scope:"col",children:"RFM segment"}),e("th",{scope:"col",class:"num",children:"Orders"}),e("th",{scope:"col",class:"num",children:"Revenue"}),e("th",{scope:"col",class:"num",children:"CLV (12 months)"}),e("th",{scope:"col",children:"Risk"})]})}),e("tbody",{children:d.map(A=>e("tr",{children:[e("td",{children:[e(B,{href:`/customers/${encodeURIComponent(A.id)}`,children:A.name}),e("div",{class:"muted small",children:A.emails[0]??x(A.kind)})]}),e("td",{children:x(A.lifecycleStage)}),e("td",{children:A.metrics.rfm?.label??"—"}),e("td",{class:"num",children:A.metrics.ordersCount}),e("td",{class:"num",children:C(A.metrics.revenue)}),e("td",{class:"num",children:C(A.metrics.clv)}),e("td",{children:A.metrics.riskBand?e("span",{class:`band ${A.metrics.riskBand}`,children:x(A.metrics.riskBand)}):"—"})]},A.id))})]}),e("div",{ref:R,class:"sentinel","aria-hidden":"true"}),k&&w==="ok"&&e("p",{class:"muted small",children:"Scroll for more…"})]})}const Or=T(`
  query Data {
    importJobs(first: 50) {
      nodes {
        id
        type
        format
        status
        dryRun
        rowsRead
        rowsCreated
        rowsUpdated
        rowsUnchanged
        rowsFailed
        error {
          code
          message
        }
        createdAt
        startedAt
        finishedAt
      }
      pageInfo {
        hasNextPage
      }
    }
    exportJobs(first: 50) {
      nodes {
        id
        type
        format
        status
        rowsWritten
        bytesWritten
        error {
          code
          message
        }
        downloadUrl
        createdAt
        expiresAt
      }
      pageInfo {
        hasNextPage
      }
    }
    accountDuplicates(first: 50) {
      nodes {
        accountId
        accountName
        duplicateId
        duplicateName
        score
        reasons {
          kind
          value
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`),qr=T(`
  mutation CreateExport($type: String!, $format: String!, $idempotencyKey: String) {
    createExport(type: $type, format: $format, idempotencyKey: $idempotencyKey) {
      id
      type
      format
      status
    }
  }
`),Qn={succeeded:"ok",failed:"bad",cancelled:"warn",expired:"warn"},Ur=["accounts","orders","feedback"];function _n(n){return n<1024?`${$(n)} B`:n<1024*1024?`${(n/1024).toFixed(1)} KB`:`${(n/(1024*1024)).toFixed(1)} MB`}function Lr({jobs:n,reload:t}){const[r,s]=_("accounts"),[i,a]=_("csv"),[l,p]=_(!1),[c,u]=_(null),f=async d=>{p(!0);try{u({ok:!0,text:await d()})}catch(o){u({ok:!1,text:Q(o)})}finally{p(!1)}},h=n.nodes.some(d=>d.status==="queued"||d.status==="running");return e("article",{class:"card wide","aria-labelledby":"d-exports",children:[e("h2",{id:"d-exports",children:"Exports"}),e(ye,{notice:c,testid:"export-notice"}),n.nodes.length===0?e(N,{children:"No export yet."}):e(V,{children:[e("table",{class:"list compact","aria-label":"Export jobs",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Type"}),e("th",{scope:"col",children:"Status"}),e("th",{scope:"col",class:"num",children:"Rows"}),e("th",{scope:"col",class:"num",children:"Size"}),e("th",{scope:"col",children:"Created"}),e("th",{scope:"col",children:"Expires"}),e("th",{scope:"col",children:e("span",{class:"muted small",children:"File"})})]})}),e("tbody",{children:n.nodes.map(d=>e("tr",{"data-testid":`export-${d.id}`,"data-status":d.status,children:[e("td",{children:[x(d.type)," ",e("span",{class:"muted small",children:["(",d.format,")"]})]}),e("td",{children:[e("span",{class:`flag ${Qn[d.status]??""}`,children:x(d.status)}),d.error&&e("div",{class:"small",children:d.error.message})]}),e("td",{class:"num",children:$(d.rowsWritten)}),e("td",{class:"num",children:_n(d.bytesWritten)}),e("td",{children:Pe(d.createdAt)}),e("td",{children:Pe(d.expiresAt)}),e("td",{children:d.downloadUrl?e("button",{type:"button",class:"secondary",disabled:l,onClick:()=>{const o=d.downloadUrl??"";f(async()=>{const m=await Wn(o,`${d.type}-${d.id}.${d.format}`);return`The ${x(d.type).toLowerCase()} export was downloaded (${_n(m)}).`})},children:["Download ",x(d.type).toLowerCase()," ",d.format]}):e("span",{class:"muted small",children:"—"})})]},d.id))})]}),n.pageInfo.hasNextPage&&e("p",{class:"muted small",children:"The 50 newest exports are shown."})]}),h&&e("p",{class:"muted small",children:["An export is still running."," ",e("button",{type:"button",class:"secondary",onClick:t,children:"Refresh"})]}),e("h3",{class:"small",children:"New export"}),e("form",{class:"condition",onSubmit:d=>{d.preventDefault(),f(async()=>{const o=await D(qr,{type:r,format:i,idempotencyKey:re()});return t(),`The ${x(o.createExport.type).toLowerCase()} export (${o.createExport.format}) is ${x(o.createExport.status).toLowerCase()}; it can be downloaded when it has succeeded.`})},children:[e("label",{children:["What",e("select",{name:"export-type",value:r,onChange:d=>s(d.currentTarget.value),children:Ur.map(d=>e("option",{value:d,children:x(d)},d))})]}),e("label",{children:["Format",e("select",{name:"export-format",value:i,onChange:d=>a(d.currentTarget.value),children:[e("option",{value:"csv",children:"CSV"}),e("option",{value:"ndjson",children:"NDJSON"})]})]}),e("button",{type:"submit",disabled:l,children:"Start export"})]}),e("p",{class:"muted small",children:["Contacts, interactions and the loyalty ledger are exported one account at a time through the API (",e("code",{children:"POST /v1/exports"})," with"," ",e("code",{children:"filters.account_id"}),"); filtered exports too."]})]})}function Pe(n){if(!n)return"—";const t=new Date(n);return Number.isNaN(t.getTime())?n:`${M(n)} ${t.toISOString().slice(11,16)} UTC`}function Br(){const n=z(()=>D(Or),"data");if(n.status==="loading")return e(W,{what:"imports, exports and duplicates"});if(n.status==="error")return e(K,{error:n.error,retry:n.reload});const{importJobs:t,exportJobs:r,accountDuplicates:s}=n.data;return e(F,{title:"Data",children:e("div",{class:"grid",children:[e("article",{class:"card wide","aria-labelledby":"d-imports",children:[e("h2",{id:"d-imports",children:"Imports"}),t.nodes.length===0?e(N,{children:["No import yet: upload a CSV or NDJSON file with ",e("code",{children:"POST /v1/imports"})," or ",e("code",{children:"rapport import"}),"."]}):e(V,{children:[e("table",{class:"list compact","aria-label":"Import jobs",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Type"}),e("th",{scope:"col",children:"Status"}),e("th",{scope:"col",class:"num",children:"Rows read"}),e("th",{scope:"col",class:"num",children:"Created"}),e("th",{scope:"col",class:"num",children:"Updated"}),e("th",{scope:"col",class:"num",children:"Unchanged"}),e("th",{scope:"col",class:"num",children:"Failed"}),e("th",{scope:"col",children:"Started"}),e("th",{scope:"col",children:"Finished"})]})}),e("tbody",{children:t.nodes.map(i=>e("tr",{"data-testid":`import-${i.id}`,children:[e("td",{children:[x(i.type)," ",e("span",{class:"muted small",children:["(",i.format,i.dryRun?", dry run":"",")"]})]}),e("td",{children:[e("span",{class:`flag ${Qn[i.status]??""}`,children:x(i.status)}),i.error&&e("div",{class:"small",children:i.error.message})]}),e("td",{class:"num",children:$(i.rowsRead)}),e("td",{class:"num",children:$(i.rowsCreated)}),e("td",{class:"num",children:$(i.rowsUpdated)}),e("td",{class:"num",children:$(i.rowsUnchanged)}),e("td",{class:"num",children:$(i.rowsFailed)}),e("td",{children:Pe(i.startedAt)}),e("td",{children:Pe(i.finishedAt)})]},i.id))})]}),t.pageInfo.hasNextPage&&e("p",{class:"muted small",children:"The 50 newest imports are shown."})]})]}),e(Lr,{jobs:r,reload:n.reload}),e("article",{class:"card wide","aria-labelledby":"d-dups",children:[e("h2",{id:"d-dups",children:"Possible duplicates"}),s.nodes.length===0?e(N,{children:"No two live accounts look like the same customer."}):e(V,{children:[e("p",{class:"muted small",children:["Pairs of live accounts that may be one customer, surest first. Open both to compare; merging is done with the API's ",e("code",{children:"mergeAccounts"}),"."]}),e("table",{class:"list compact","aria-label":"Possible duplicates",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Account"}),e("th",{scope:"col",children:"May be the same as"}),e("th",{scope:"col",class:"num",children:"Score"}),e("th",{scope:"col",children:"Why"})]})}),e("tbody",{children:s.nodes.map(i=>e("tr",{children:[e("td",{children:e(B,{href:`/customers/${encodeURIComponent(i.accountId)}`,children:i.accountName})}),e("td",{children:e(B,{href:`/customers/${encodeURIComponent(i.duplicateId)}`,children:i.duplicateName})}),e("td",{class:"num",children:q(i.score)}),e("td",{children:i.reasons.map(a=>`${x(a.kind)}: ${a.value}`).join("; ")})]},`${i.accountId}-${i.duplicateId}`))})]}),s.pageInfo.hasNextPage&&e("p",{class:"muted small",children:"The 50 surest pairs are shown."})]})]})]})})}const Er=T(`
  query Economics {
    profitabilityReport(limit: 10) {
      currency
      asOf
      customers
      profitableCustomers
      unprofitableCustomers
      breakEvenCustomers
      totals {
        revenue
        margin
        acquisitionCost
        costToServe
        profit
      }
      deciles {
        decile
        customers
        totals {
          profit
        }
        shareOfProfit
      }
      byRfmSegment {
        rfmSegment
        customers
        totals {
          profit
        }
        simpleClv
        modelClv
        customersWithPrediction
      }
      mostProfitable {
        ...AccountProfitRow
      }
      leastProfitable {
        ...AccountProfitRow
      }
    }
    acquisitionReport {
      currency
      startsAt
      endsBefore
      unallocatedSpend
      channels {
        acquisitionChannel
        customers
        marketingSpend
        cac
        averageClv
        averageClv36Months
        clvToCac
        paybackMonths
      }
    }
    valueDistribution {
      currency
      revenue {
        customers
        histogram {
          lower
          customers
        }
      }
      clv {
        customers
        histogram {
          lower
          customers
        }
      }
    }
  }

  fragment AccountProfitRow on AccountProfit {
    accountId
    name
    rfmSegment
    revenue
    margin
    acquisitionCost
    costToServe
    profit
  }
`);function wn({rows:n,label:t,currency:r}){return e("table",{class:"list compact","aria-label":t,children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Customer"}),e("th",{scope:"col",children:"Segment"}),e("th",{scope:"col",class:"num",children:"Margin"}),e("th",{scope:"col",class:"num",children:"Acquisition"}),e("th",{scope:"col",class:"num",children:"Cost to serve"}),e("th",{scope:"col",class:"num",children:"Profit"})]})}),e("tbody",{children:n.map(s=>e("tr",{children:[e("td",{children:e(B,{href:`/customers/${encodeURIComponent(s.accountId)}`,children:s.name})}),e("td",{children:s.rfmSegment?x(s.rfmSegment):"Not scored"}),e("td",{class:"num",children:C(s.margin,r)}),e("td",{class:"num",children:C(s.acquisitionCost,r)}),e("td",{class:"num",children:C(s.costToServe,r)}),e("td",{class:"num",children:C(s.profit,r)})]},s.accountId))})]})}function Fr({value:n}){if(n==null)return e(V,{children:"—"});const t=n>=3?"ok":n>=1?"warn":"bad",r=n>=3?"healthy":n>=1?"thin":"loses money";return e("span",{class:`flag ${t}`,title:r,children:[n.toFixed(1)," : 1 · ",r]})}function Kr(){const n=z(()=>D(Er),"economics");if(n.status==="loading")return e(W,{what:"economics"});if(n.status==="error")return e(K,{error:n.error,retry:n.reload});const{profitabilityReport:t,acquisitionReport:r,valueDistribution:s}=n.data,i=t.currency;if(t.customers===0)return e(F,{title:"Economics",children:e(N,{children:"No customer has bought yet: profit, acquisition and value figures appear with the first orders."})});const a=r.channels.filter(c=>c.customers>0),l=r.channels.some(c=>j(c.marketingSpend)>0||c.cac!=null)||j(r.unallocatedSpend)>0,p=new Date(new Date(r.endsBefore).getTime()-864e5).toISOString();return e(F,{title:"Economics",children:e("div",{class:"grid",children:[e("article",{class:"card wide kpi-card","aria-labelledby":"e-totals",children:[e("h2",{id:"e-totals",children:"Profit, all customers to date"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"Customers"}),e("dd",{"data-testid":"economics-customers",children:$(t.customers)})]}),e("div",{children:[e("dt",{children:"Revenue"}),e("dd",{children:C(t.totals.revenue,i)})]}),e("div",{children:[e("dt",{children:"Margin"}),e("dd",{children:C(t.totals.margin,i)})]}),e("div",{children:[e("dt",{children:"Acquisition cost"}),e("dd",{children:C(t.totals.acquisitionCost,i)})]}),e("div",{children:[e("dt",{children:"Cost to serve"}),e("dd",{children:C(t.totals.costToServe,i)})]}),e("div",{children:[e("dt",{children:"Profit"}),e("dd",{"data-testid":"economics-profit",children:C(t.totals.profit,i)})]})]}),e("p",{class:"muted small",children:[$(t.profitableCustomers)," customers are profitable, ",$(t.unprofitableCustomers)," lose money and ",$(t.breakEvenCustomers)," break even (profit = margin − acquisition cost − cost to serve), as of ",M(t.asOf),"."]})]}),e("article",{class:"card wide","aria-labelledby":"e-deciles",children:[e("h2",{id:"e-deciles",children:"Who makes the money, who loses it"}),e("p",{class:"muted small",children:"Customers ranked by profit in ten equal groups: D1 is the most profitable tenth, D10 the least."}),e(sr,{label:"Profit by decile of customers",bars:t.deciles.map(c=>({label:`D${c.decile}`,value:j(c.totals.profit),text:te(c.totals.profit,i)}))}),e("table",{class:"list compact","aria-label":"Profit by decile",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Decile"}),e("th",{scope:"col",class:"num",children:"Customers"}),e("th",{scope:"col",class:"num",children:"Profit"}),e("th",{scope:"col",class:"num",children:"Share of profit"})]})}),e("tbody",{children:t.deciles.map(c=>e("tr",{children:[e("td",{children:["D",c.decile]}),e("td",{class:"num",children:$(c.customers)}),e("td",{class:"num",children:C(c.totals.profit,i)}),e("td",{class:"num",children:q(c.shareOfProfit,1)})]},c.decile))})]})]}),e("article",{class:"card wide","aria-labelledby":"e-most",children:[e("h2",{id:"e-most",children:"Most profitable customers"}),e(wn,{rows:t.mostProfitable,label:"Most profitable customers",currency:i})]}),e("article",{class:"card wide","aria-labelledby":"e-least",children:[e("h2",{id:"e-least",children:"Least profitable customers"}),e(wn,{rows:t.leastProfitable,label:"Least profitable customers",currency:i})]}),e("article",{class:"card wide","aria-labelledby":"e-rfm",children:[e("h2",{id:"e-rfm",children:"CLV by RFM segment: simple formula beside the model"}),e("p",{class:"muted small",children:"Simple CLV = margin per order × orders per year × retention rate, per customer, next 12 months; the model's is the average stored 12-month prediction."}),e("table",{class:"list compact","aria-label":"CLV by RFM segment",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Segment"}),e("th",{scope:"col",class:"num",children:"Customers"}),e("th",{scope:"col",class:"num",children:"Profit"}),e("th",{scope:"col",class:"num",children:"Simple CLV"}),e("th",{scope:"col",class:"num",children:"Model CLV"})]})}),e("tbody",{children:t.byRfmSegment.map(c=>e("tr",{children:[e("td",{children:c.rfmSegment?x(c.rfmSegment):"Not scored"}),e("td",{class:"num",children:$(c.customers)}),e("td",{class:"num",children:C(c.totals.profit,i)}),e("td",{class:"num",children:C(c.simpleClv,i)}),e("td",{class:"num",children:c.customersWithPrediction>0?C(c.modelClv,i):"—"})]},c.rfmSegment??"unscored"))})]})]}),e("article",{class:"card wide","aria-labelledby":"e-acq",children:[e("h2",{id:"e-acq",children:"Acquisition by channel"}),e("p",{class:"muted small",children:["Customers whose first purchase falls between ",M(r.startsAt)," and ",M(p),". CLV:CAC of 3 : 1 or more is healthy; under 1 : 1 the channel costs more than its customers bring."]}),a.length===0?e(N,{children:"No customer made a first purchase in this range."}):e(V,{children:[!l&&e(N,{children:"No marketing spend or acquisition cost is recorded for this range, so there is no CAC to compare with."}),e("table",{class:"list","aria-label":"Acquisition by channel",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Channel"}),e("th",{scope:"col",class:"num",children:"Customers"}),e("th",{scope:"col",class:"num",children:"CAC"}),e("th",{scope:"col",class:"num",children:"Average CLV (12 months)"}),e("th",{scope:"col",class:"num",children:"Average CLV (36 months)"}),e("th",{scope:"col",class:"num",children:"CLV:CAC"}),e("th",{scope:"col",class:"num",children:"Payback"})]})}),e("tbody",{children:a.map(c=>e("tr",{children:[e("td",{children:c.acquisitionChannel?x(c.acquisitionChannel):"No channel"}),e("td",{class:"num",children:$(c.customers)}),e("td",{class:"num",children:C(c.cac,r.currency)}),e("td",{class:"num",children:C(c.averageClv,r.currency)}),e("td",{class:"num",children:C(c.averageClv36Months,r.currency)}),e("td",{class:"num",children:e(Fr,{value:c.clvToCac})}),e("td",{class:"num",children:c.paybackMonths==null?"—":`${c.paybackMonths} ${c.paybackMonths===1?"month":"months"}`})]},c.acquisitionChannel??"none"))})]}),j(r.unallocatedSpend)>0&&e("p",{class:"muted small",children:[C(r.unallocatedSpend,r.currency)," of marketing spend fell in months in which its channel acquired nobody."]})]})]}),e("article",{class:"card wide","aria-labelledby":"e-rev",children:[e("h2",{id:"e-rev",children:"Revenue per customer"}),s.revenue.customers===0?e(N,{children:"No revenue yet."}):e(Ve,{label:"Customers by revenue to date",bars:s.revenue.histogram.map(c=>({label:`≥ ${te(c.lower,s.currency)}`,value:c.customers,text:`${c.customers}`}))})]}),e("article",{class:"card wide","aria-labelledby":"e-clv",children:[e("h2",{id:"e-clv",children:"CLV per customer"}),s.clv.customers===0?e(N,{children:"No CLV predictions yet: fit the value model."}):e(Ve,{label:"Customers by 12-month CLV",bars:s.clv.histogram.map(c=>({label:`≥ ${te(c.lower,s.currency)}`,value:c.customers,text:`${c.customers}`}))})]})]})})}const Vr=T(`
  query Feedback {
    satisfactionReport(period: "month", detractorsLimit: 5) {
      currency
      startsAt
      endsBefore
      overall {
        ...ScoreParts
      }
      overTime {
        key
        scores {
          ...ScoreParts
        }
      }
      byTouchpoint {
        key
        scores {
          ...ScoreParts
        }
      }
      byChannel {
        key
        scores {
          ...ScoreParts
        }
      }
      complaints {
        opened
        resolved
        active
        firstResponseSlaMet
        resolutionSlaMet
        firstResponseMinutesMedian
        resolutionMinutesMedian
      }
      detractorsAtRisk {
        accountId
        name
        nps
        valueAtRisk
      }
    }
    complaints(first: 50) {
      nodes {
        ...ComplaintRow
      }
    }
  }
  fragment ComplaintRow on Complaint {
    id
    accountId
    subject
    category
    severity
    status
    openedAt
    resolutionDueAt
    firstResponseBreached
    resolutionBreached
  }
  fragment ScoreParts on Scores {
    npsResponses
    promoters
    passives
    detractors
    nps
    npsLow
    npsHigh
    csatResponses
    csatAverage
    csatSatisfiedShare
    cesResponses
    cesAverage
  }
`),Wr=T(`
  query Complaints($status: String) {
    complaints(first: 50, status: $status) {
      nodes {
        ...ComplaintRow
      }
    }
  }
`),Hr=T(`
  query ComplaintDetail($id: ID!) {
    complaint(id: $id) {
      id
      accountId
      orderId
      feedbackId
      category
      severity
      channel
      subject
      description
      status
      openedAt
      firstResponseDueAt
      resolutionDueAt
      firstRespondedAt
      resolvedAt
      closedAt
      firstResponseBreached
      resolutionBreached
      outcome
    }
    complaintHistory(id: $id) {
      id
      kind
      fromStatus
      toStatus
      body
      actorType
      occurredAt
    }
  }
`),zr=T(`
  mutation ResolveComplaint($id: ID!, $input: ResolveComplaintInput!, $key: String) {
    resolveComplaint(id: $id, input: $input, idempotencyKey: $key) {
      complaint {
        id
        status
      }
      compensations {
        kind
        points
        amount
        currency
        paidNow
      }
    }
  }
`),nn=new Set(["open","in_progress","waiting_for_customer","reopened"]);function Le(n){if(n.nps==null)return"no NPS answers";const t=n.npsLow!=null&&n.npsHigh!=null?` (95 % interval ${Math.round(n.npsLow)} to ${Math.round(n.npsHigh)})`:"";return`NPS ${Math.round(n.nps)}${t}, ${$(n.npsResponses)} answers`}function $n(n){return n==null?"—":n<90?`${Math.round(n)} min`:n<2880?`${(n/60).toFixed(1)} h`:`${(n/1440).toFixed(1)} days`}function Yn({c:n}){const t=nn.has(n.status);return e(V,{children:[n.firstResponseBreached&&e("span",{class:"flag bad",children:"First response late"}),n.resolutionBreached&&e("span",{class:"flag bad",children:t?"Resolution overdue":"Resolved late"}),!n.firstResponseBreached&&!n.resolutionBreached&&e("span",{class:"flag ok",children:"Within SLA"})]})}const jr=["open","in_progress","waiting_for_customer","reopened","resolved","closed"];function Jr({complaint:n}){return n?e(Gr,{id:n}):e(Qr,{})}function Qr(){const n=z(()=>D(Vr),"feedback");if(n.status==="loading")return e(W,{what:"feedback"});if(n.status==="error")return e(K,{error:n.error,retry:n.reload});const{satisfactionReport:t,complaints:r}=n.data,s=t.overall,i=t.overTime.map(c=>({label:c.key,value:c.scores.nps??null,low:c.scores.npsLow??null,high:c.scores.npsHigh??null,text:Le(c.scores)})),a=t.overTime.map(c=>({label:c.key,value:c.scores.csatAverage??null,text:c.scores.csatAverage==null?"no CSAT answers":`CSAT ${c.scores.csatAverage.toFixed(2)} of 5, ${$(c.scores.csatResponses)} answers`})),l=c=>c.filter(u=>u.scores.nps!=null).map(u=>({label:x(u.key),estimate:u.scores.nps??0,low:u.scores.npsLow??null,high:u.scores.npsHigh??null,text:Le(u.scores)})),p=t.complaints;return e(F,{title:"Feedback",children:[s.npsResponses+s.csatResponses+s.cesResponses===0?e(N,{children:"No survey answers in the last 12 months."}):e("div",{class:"grid",children:[e("article",{class:"card wide","aria-labelledby":"scores-h",children:[e("h2",{id:"scores-h",children:"Scores, last 12 months"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"NPS"}),e("dd",{"data-testid":"nps",children:s.nps==null?"—":Math.round(s.nps)})]}),e("div",{children:[e("dt",{children:"Promoters / passives / detractors"}),e("dd",{children:[$(s.promoters)," / ",$(s.passives)," / ",$(s.detractors)]})]}),e("div",{children:[e("dt",{children:"CSAT (1-5)"}),e("dd",{children:s.csatAverage==null?"—":s.csatAverage.toFixed(2)})]}),e("div",{children:[e("dt",{children:"Satisfied (4-5)"}),e("dd",{children:q(s.csatSatisfiedShare)})]}),e("div",{children:[e("dt",{children:"Effort (CES 1-7)"}),e("dd",{children:s.cesAverage==null?"—":s.cesAverage.toFixed(2)})]})]}),e("p",{class:"muted small",children:["NPS is the share of promoters (9-10) minus the share of detractors (0-6), from −100 to 100; ",Le(s),". The band around the line is its 95 % interval: wide when few answered."]}),e("h3",{class:"small",children:"NPS per month"}),e(gn,{points:i,label:"NPS per month with its 95 % interval",min:-100,max:100,zero:0}),e("h3",{class:"small",children:"CSAT per month"}),e(gn,{points:a,label:"Average CSAT per month, 1 to 5",min:1,max:5})]}),e("article",{class:"card wide","aria-labelledby":"tp-h",children:[e("div",{class:"halves",children:[e("div",{children:[e("h2",{id:"tp-h",children:"NPS by touchpoint"}),l(t.byTouchpoint).length===0?e(N,{children:"No NPS answers."}):e(We,{rows:l(t.byTouchpoint),label:"NPS by touchpoint with 95 % intervals"})]}),e("div",{children:[e("h2",{id:"ch-h",children:"NPS by survey channel"}),l(t.byChannel).length===0?e(N,{children:"No NPS answers."}):e(We,{rows:l(t.byChannel),label:"NPS by survey channel with 95 % intervals"})]})]}),e("p",{class:"muted small",children:"Each dot is a group’s NPS, the bar its 95 % interval; green when the whole interval is above zero."})]}),e("article",{class:"card","aria-labelledby":"sla-h",children:[e("h2",{id:"sla-h",children:"Complaints, last 12 months"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"Opened"}),e("dd",{children:$(p.opened)})]}),e("div",{children:[e("dt",{children:"Still being worked on"}),e("dd",{children:$(p.active)})]}),e("div",{children:[e("dt",{children:"First response in time"}),e("dd",{children:q(p.firstResponseSlaMet)})]}),e("div",{children:[e("dt",{children:"Resolved in time"}),e("dd",{children:q(p.resolutionSlaMet)})]})]}),e("p",{class:"muted small",children:["Median first response ",$n(p.firstResponseMinutesMedian),", median resolution ",$n(p.resolutionMinutesMedian),"."]})]}),e("article",{class:"card","aria-labelledby":"det-h",children:[e("h2",{id:"det-h",children:"Detractors with the most value at risk"}),t.detractorsAtRisk.length===0?e(N,{children:"No detractor."}):e("ul",{class:"plain",children:t.detractorsAtRisk.map(c=>e("li",{children:[e(B,{href:`/customers/${encodeURIComponent(c.accountId)}`,children:c.name})," · NPS ",c.nps??"—"," · ",C(c.valueAtRisk,t.currency)," at risk"]},c.accountId))})]})]}),e(Yr,{first:r.nodes})]})}function Yr({first:n}){const[t,r]=_(""),s=z(()=>t?D(Wr,{status:t}).then(a=>a.complaints.nodes):Promise.resolve(n),`complaints:${t}`),i=s.data??[];return e("article",{class:"card wide complaints","aria-labelledby":"complaints-h",children:[e("div",{class:"row",children:[e("h2",{id:"complaints-h",children:"Complaints"}),e("label",{class:"inline",children:["Status",e("select",{name:"complaint-status",value:t,onChange:a=>r(a.currentTarget.value),children:[e("option",{value:"",children:"All"}),jr.map(a=>e("option",{value:a,children:x(a)},a))]})]})]}),s.status==="loading"?e(W,{what:"complaints"}):s.status==="error"?e(K,{error:s.error,retry:s.reload}):i.length===0?e(N,{children:["No complaint",t?" with this status":"","."]}):e("table",{class:"list","aria-label":"Complaints",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Opened"}),e("th",{scope:"col",children:"Subject"}),e("th",{scope:"col",children:"Severity"}),e("th",{scope:"col",children:"Status"}),e("th",{scope:"col",children:"Service level"})]})}),e("tbody",{children:i.map(a=>e("tr",{"data-status":a.status,children:[e("td",{children:M(a.openedAt)}),e("td",{children:[e(B,{href:`/feedback/complaints/${encodeURIComponent(a.id)}`,children:a.subject}),e("div",{class:"small muted",children:x(a.category)})]}),e("td",{children:x(a.severity)}),e("td",{children:[x(a.status),nn.has(a.status)?e("div",{class:"small muted",children:["due ",M(a.resolutionDueAt)]}):null]}),e("td",{children:e(Yn,{c:a})})]},a.id))})]})]})}function Gr({id:n}){const t=oe(),r=z(()=>D(Hr,{id:n}),n),[s,i]=_(""),[a,l]=_(""),[p,c]=_(!1),[u,f]=_(null);if(r.status==="loading")return e(W,{what:"the complaint"});if(r.status==="error")return e(K,{error:r.error,retry:r.reload});const{complaint:h,complaintHistory:d}=r.data,o=ue(t,"complaints")&&nn.has(h.status),m=async v=>{v.preventDefault(),c(!0),f(null);try{const k=a.trim()?String(Math.round(Number(a))):null,w=(await D(zr,{id:h.id,input:{outcome:s.trim(),points:k},key:re()})).resolveComplaint.compensations.filter(y=>y.paidNow).map(y=>y.kind==="points"?`${$(y.points??0)} points credited`:y.kind==="refund"?`${C(y.amount,y.currency??void 0)} refunded`:"a voucher issued");f({ok:!0,text:`Complaint resolved${w.length?`: ${w.join(", ")}`:""}.`}),i(""),l(""),r.reload()}catch(k){f({ok:!1,text:Q(k)})}finally{c(!1)}};return e(F,{title:h.subject,actions:e("button",{type:"button",class:"secondary",onClick:()=>en("/feedback"),children:"All feedback"}),children:[e(ye,{notice:u,testid:"complaint-notice"}),e("p",{class:"muted",children:[x(h.category)," · ",x(h.severity)," severity",h.channel?` · through ${h.channel}`:""," · opened ",M(h.openedAt)," ·"," ",e(B,{href:`/customers/${encodeURIComponent(h.accountId)}`,children:"the customer’s page"})]}),e("div",{class:"grid",children:[e("article",{class:"card","aria-labelledby":"state-h",children:[e("h2",{id:"state-h",children:"Status"}),e("p",{class:"big","data-testid":"complaint-status",children:x(h.status)}),e("p",{children:e(Yn,{c:h})}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"First response due"}),e("dd",{class:"small",children:h.firstRespondedAt?`answered ${M(h.firstRespondedAt)}`:M(h.firstResponseDueAt)})]}),e("div",{children:[e("dt",{children:"Resolution due"}),e("dd",{class:"small",children:h.resolvedAt?`resolved ${M(h.resolvedAt)}`:M(h.resolutionDueAt)})]})]}),h.description&&e("p",{children:h.description}),h.outcome&&e("p",{children:[e("strong",{children:"Outcome:"})," ",h.outcome]}),h.feedbackId&&e("p",{class:"small muted",children:"Opened from a detractor’s survey answer."})]}),o&&e("article",{class:"card","aria-labelledby":"resolve-h",children:[e("h2",{id:"resolve-h",children:"Resolve"}),e("form",{class:"rule",onSubmit:v=>{m(v)},children:[e("label",{children:["What was done (outcome)",e("textarea",{name:"outcome",required:!0,maxLength:5e3,value:s,onInput:v=>i(v.currentTarget.value)})]}),e("label",{children:["Loyalty points as compensation (optional)",e("input",{type:"number",name:"points",min:1,step:1,value:a,onInput:v=>l(v.currentTarget.value)})]}),e("button",{type:"submit",disabled:p||!s.trim(),children:"Resolve complaint"})]})]}),e("article",{class:"card wide","aria-labelledby":"history-h",children:[e("h2",{id:"history-h",children:"History"}),d.length===0?e(N,{children:"Nothing happened yet."}):e("ol",{class:"timeline","aria-label":"Complaint history",children:d.map(v=>e("li",{children:[e("time",{dateTime:v.occurredAt,children:M(v.occurredAt)})," ",e("strong",{children:v.kind==="status"?`${v.fromStatus?`${x(v.fromStatus)} → `:""}${x(v.toStatus)}`:v.kind==="assigned"?"Assigned":v.kind==="compensation"?"Compensation":"Note"})," ",v.body??""," ",e("span",{class:"small muted",children:["by ",v.actorType==="api_key"?"an API key":v.actorType==="system"?"the system":"a user"]})]},v.id))})]})]})]})}const Xr=T(`
  query Loyalty {
    loyaltyProgram {
      currency
      active
      earnRate {
        numerator
        denominator
      }
      qualification
      qualificationWindowDays
      expiryMonths
      pendingDays
      tiers {
        name
        threshold
        multiplierPermille
        benefits
      }
    }
    loyaltyRewards(first: 100) {
      nodes {
        id
        name
        description
        pointsCost
        stock
        availableUntil
      }
    }
  }
`);function Zr(){const n=z(()=>D(Xr),"loyalty");if(n.status==="loading")return e(W,{what:"the loyalty programme"});if(n.status==="error")return e(K,{error:n.error,retry:n.reload});const{loyaltyProgram:t,loyaltyRewards:r}=n.data;if(!t)return e(F,{title:"Loyalty",children:e(N,{children:"There is no loyalty programme in this workspace yet."})});const s=i=>t.qualification==="spend"?C(i,t.currency):`${$(i)} points`;return e(F,{title:"Loyalty",children:e("div",{class:"grid",children:[e("article",{class:"card","aria-labelledby":"prog-h",children:[e("h2",{id:"prog-h",children:"Programme"}),e("p",{children:[t.active?"Active":"Paused (nothing is earned; balances can still be spent)",": ",t.earnRate.numerator," point",t.earnRate.numerator===1?"":"s"," for every ",C(t.earnRate.denominator,t.currency)," spent."]}),e("p",{children:["Points can be spent ",t.pendingDays," days after the order (the return window)",t.expiryMonths?` and expire ${t.expiryMonths} months after they were earned`:" and never expire","."]}),e("p",{children:["Tiers follow ",t.qualification==="spend"?"spend":"points earned"," over the last ",t.qualificationWindowDays," days."]})]}),e("article",{class:"card","aria-labelledby":"tiers-h",children:[e("h2",{id:"tiers-h",children:"Tiers"}),t.tiers.length===0?e(N,{children:"No tiers."}):e("ul",{class:"plain",children:t.tiers.map(i=>e("li",{children:[e("strong",{children:i.name})," from ",s(i.threshold)," · earns ×",(i.multiplierPermille/1e3).toFixed(2),i.benefits?e("div",{class:"small muted",children:i.benefits}):null]},i.name))})]}),e("article",{class:"card wide","aria-labelledby":"rewards-h",children:[e("h2",{id:"rewards-h",children:"Rewards"}),r.nodes.length===0?e(N,{children:"The catalog is empty."}):e("table",{class:"list","aria-labelledby":"rewards-h",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Reward"}),e("th",{scope:"col",class:"num",children:"Points"}),e("th",{scope:"col",class:"num",children:"Stock"}),e("th",{scope:"col",children:"Available until"})]})}),e("tbody",{children:r.nodes.map(i=>e("tr",{children:[e("td",{children:[i.name,i.description?e("div",{class:"small muted",children:i.description}):null]}),e("td",{class:"num",children:$(i.pointsCost)}),e("td",{class:"num",children:i.stock==null?"unlimited":$(i.stock)}),e("td",{children:i.availableUntil?M(i.availableUntil):"no end"})]},i.id))})]})]})]})})}const es=T(`
  query Overview($from: String!) {
    valueDistribution {
      currency
      revenue {
        customers
        total
        concentration {
          topPercent
          share
        }
      }
      clv {
        customers
        total
      }
    }
    churnReport(period: "month", from: $from) {
      currency
      repeat {
        repeatPurchaseRate
      }
      periods {
        period
        activeCustomers
        newCustomers
        churnRate
        revenue
        margin
      }
      expected {
        expectedChurnRate
      }
    }
    deals(first: 500, filter: { status: "open" }) {
      pageInfo {
        hasNextPage
      }
      nodes {
        amount
        currency
      }
    }
    satisfactionReport(period: "month", detractorsLimit: 1) {
      overall {
        nps
        npsResponses
      }
      overTime {
        key
        scores {
          nps
        }
      }
    }
    atRiskAccounts(first: 5) {
      nodes {
        accountId
        name
        valueAtRisk
        churnProbability
      }
    }
  }
`);function ns(){const n=new Date;return n.setUTCFullYear(n.getUTCFullYear()-1),n.setUTCDate(1),n.toISOString().slice(0,10)}function ts(){const n=z(()=>D(es,{from:ns()}),"overview");if(n.status==="loading")return e(W,{what:"the overview"});if(n.status==="error")return e(K,{error:n.error,retry:n.reload});const{valueDistribution:t,churnReport:r,atRiskAccounts:s,deals:i,satisfactionReport:a}=n.data,l=a.overTime.filter(h=>h.scores.nps!=null).map(h=>h.scores.nps??0),p=new Map;i.nodes.forEach(h=>p.set(h.currency,(p.get(h.currency)??0)+j(h.amount)));const c=r.periods,u=c[c.length-1],f=t.revenue.concentration.find(h=>h.topPercent===10);return e(F,{title:"Overview",children:t.revenue.customers===0?e(N,{children:"No orders yet: the figures appear with the first purchases."}):e("div",{class:"grid",children:[e("article",{class:"card kpi-card","aria-labelledby":"k-customers",children:[e("h2",{id:"k-customers",children:"Buying customers"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"All time"}),e("dd",{children:$(t.revenue.customers)})]}),e("div",{children:[e("dt",{children:"Active last month"}),e("dd",{children:[u?$(u.activeCustomers):"—",e(le,{values:c.map(h=>h.activeCustomers),label:"Active customers per month, last 12 months"})]})]})]})]}),e("article",{class:"card kpi-card","aria-labelledby":"k-revenue",children:[e("h2",{id:"k-revenue",children:"Revenue and value"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"Net revenue"}),e("dd",{children:C(t.revenue.total,t.currency)})]}),e("div",{children:[e("dt",{children:"Revenue this month so far"}),e("dd",{"data-testid":"revenue-month",children:[u?C(u.revenue,r.currency):"—",e(le,{values:c.map(h=>j(h.revenue)),label:`Revenue per month, last 12 months: ${c.map(h=>`${h.period} ${te(h.revenue,r.currency)}`).join(", ")}`})]})]}),e("div",{children:[e("dt",{children:"Margin this month so far"}),e("dd",{children:[u?C(u.margin,r.currency):"—",e(le,{values:c.map(h=>j(h.margin)),label:`Margin per month, last 12 months: ${c.map(h=>`${h.period} ${te(h.margin,r.currency)}`).join(", ")}`})]})]}),e("div",{children:[e("dt",{children:"CLV, next 12 months"}),e("dd",{children:C(t.clv.total,t.currency)})]})]}),f&&e("p",{class:"muted small",children:["The top 10 % of customers bring ",q(f.share)," of revenue."]})]}),e("article",{class:"card kpi-card","aria-labelledby":"k-retention",children:[e("h2",{id:"k-retention",children:"Retention"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"Repeat purchase rate"}),e("dd",{children:q(r.repeat.repeatPurchaseRate)})]}),e("div",{children:[e("dt",{children:"Churn last month"}),e("dd",{children:[u?q(u.churnRate,1):"—",e(le,{values:c.map(h=>h.churnRate),label:"Monthly churn rate, last 12 months"})]})]}),e("div",{children:[e("dt",{children:"New last month"}),e("dd",{children:[u?$(u.newCustomers):"—",e(le,{values:c.map(h=>h.newCustomers),label:"New customers per month, last 12 months"})]})]})]}),r.expected&&e("p",{class:"muted small",children:["The model expects ",q(r.expected.expectedChurnRate)," of today's buyers to be lost."]})]}),e("article",{class:"card kpi-card","aria-labelledby":"k-nps",children:[e("h2",{id:"k-nps",children:"Satisfaction"}),e("dl",{class:"kpis",children:e("div",{children:[e("dt",{children:"NPS, last 12 months"}),e("dd",{children:[a.overall.nps==null?"—":Math.round(a.overall.nps),e(le,{values:l,label:`NPS per month: ${l.map(h=>Math.round(h)).join(", ")}`})]})]})}),e("p",{class:"small",children:[$(a.overall.npsResponses)," answers · ",e(B,{href:"/feedback",children:"Feedback and complaints"})]})]}),e("article",{class:"card kpi-card","aria-labelledby":"k-pipeline",children:[e("h2",{id:"k-pipeline",children:"Open pipeline"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"Open deals"}),e("dd",{children:[$(i.nodes.length),i.pageInfo.hasNextPage?"+":""]})]}),[...p].map(([h,d])=>e("div",{children:[e("dt",{children:["Value in ",h]}),e("dd",{children:C(d,h)})]},h))]}),e("p",{class:"small",children:e(B,{href:"/pipeline",children:"Open the board"})})]}),e("article",{class:"card","aria-labelledby":"k-risk",children:[e("h2",{id:"k-risk",children:"Most value at risk"}),s.nodes.length===0?e("p",{class:"muted",children:"Nobody at risk (or no fitted model yet)."}):e("ul",{class:"plain",children:s.nodes.map(h=>e("li",{children:[e(B,{href:`/customers/${encodeURIComponent(h.accountId)}`,children:h.name})," · ",C(h.valueAtRisk,t.currency)," at risk ·"," ",q(h.churnProbability)," churn"]},h.accountId))}),e("p",{class:"small",children:e(B,{href:"/value",children:"See the whole value picture"})})]})]})})}const rs=T(`
  query Board {
    pipelines(first: 20) {
      nodes {
        id
        name
        stages {
          id
          name
          kind
          probability
        }
      }
    }
    deals(first: 500, filter: { status: "open" }) {
      nodes {
        id
        title
        amount
        currency
        pipelineId
        stageId
        version
        expectedCloseOn
      }
    }
  }
`),ss=T(`
  mutation MoveDeal($id: ID!, $stageId: ID!, $ifVersion: Int, $lostReason: String, $key: String) {
    moveDeal(id: $id, stageId: $stageId, ifVersion: $ifVersion, lostReason: $lostReason, idempotencyKey: $key) {
      id
      stageId
      version
      status
    }
  }
`);async function kn(){const n=await D(rs);return{pipelines:n.pipelines.nodes,deals:n.deals.nodes}}function is(){const n=oe(),t=ue(n,"deals"),[r,s]=_(null),i=z(kn,"board"),[a,l]=_(new Map),[p,c]=_(null),[u,f]=_(null),[h,d]=_(null);if(i.status==="loading")return e(W,{what:"the pipeline"});if(i.status==="error")return e(K,{error:i.error,retry:i.reload});const{pipelines:o}=i.data,m=o.find(y=>y.id===r)??o[0];if(!m)return e(F,{title:"Pipeline",children:e(N,{children:"No pipeline yet."})});const v=i.data.deals.filter(y=>y.pipelineId===m.id).map(y=>a.get(y.id)??y),k=y=>m.stages.find(b=>b.id===y)?.name??"another stage",I=async(y,b)=>{if(y.stageId===b||h)return;const S=m.stages.find(R=>R.id===b);let g;if(!(S?.kind==="lost"&&(g=window.prompt(`Why was “${y.title}” lost?`,"price")??void 0,!g))){d(y.id),c(null);try{const R=await D(ss,{id:y.id,stageId:b,ifVersion:y.version,lostReason:g??null,key:re()});l(L=>new Map(L).set(y.id,{...y,stageId:R.moveDeal.stageId,version:R.moveDeal.version})),c({kind:"ok",text:`“${y.title}” moved to ${k(R.moveDeal.stageId)}.`})}catch(R){if(R instanceof X&&R.code==="precondition_failed"){let L="";try{const H=(await kn()).deals.find(A=>A.id===y.id);L=H?` It is now in ${k(H.stageId)}.`:" It is no longer open."}catch{}l(new Map),c({kind:"conflict",text:`“${y.title}” was moved by someone else (perhaps in another tab) before your move, so yours was not applied.${L} The board now shows the latest state.`}),i.reload()}else c({kind:"conflict",text:Q(R)})}finally{d(null)}}},w=new Map(v.map(y=>[y.id,y]));return e(F,{title:"Pipeline",actions:o.length>1?e("label",{children:["Pipeline",e("select",{value:m.id,onChange:y=>s(y.currentTarget.value),children:o.map(y=>e("option",{value:y.id,children:y.name},y.id))})]}):void 0,children:[e("div",{"aria-live":"polite",children:p&&e("p",{class:`notice ${p.kind}`,role:p.kind==="conflict"?"alert":"status","data-testid":"board-notice",children:p.text})}),!t&&e("p",{class:"muted small",children:"Your role can see the board but not move deals."}),e("div",{class:"board",children:m.stages.map(y=>{const b=v.filter(g=>g.stageId===y.id),S=new Map;return b.forEach(g=>S.set(g.currency,(S.get(g.currency)??0)+j(g.amount))),e("section",{class:`column${u===y.id?" over":""}`,"aria-label":`Stage ${y.name}`,"data-stage":y.name,"data-kind":y.kind,onDragOver:g=>{t&&(g.preventDefault(),f(y.id))},onDragLeave:()=>f(null),onDrop:g=>{g.preventDefault(),f(null);const R=w.get(g.dataTransfer?.getData("text/plain")??"");R&&t&&I(R,y.id)},children:[e("h2",{children:[e("span",{children:y.name}),e("span",{class:"muted small",children:[y.probability," %"]})]}),e("p",{class:"muted small",children:[$(b.length)," deals",[...S].map(([g,R])=>` · ${C(R,g)}`).join("")]}),b.map(g=>e("article",{class:"deal",draggable:t,"data-deal":g.title,"aria-busy":h===g.id,onDragStart:R=>R.dataTransfer?.setData("text/plain",g.id),children:[e("strong",{children:g.title}),e("div",{class:"small",children:C(g.amount,g.currency)}),t&&e("label",{class:"move",children:["Move to",e("select",{value:g.stageId,onChange:R=>{I(g,R.currentTarget.value)},"aria-label":`Move ${g.title} to stage`,children:m.stages.map(R=>e("option",{value:R.id,children:R.name},R.id))})]})]},g.id))]},y.id)})})]})}const as=T(`
  query Segments {
    segments(first: 100) {
      nodes {
        id
        name
        description
        rule
        tracked
        createdAt
      }
    }
  }
`),os=T(`
  query PreviewSegment($rule: JSON!) {
    previewSegment(rule: $rule, sampleSize: 5) {
      count
      sample {
        id
        name
      }
    }
  }
`),ls=T(`
  mutation CreateSegment($input: SegmentInput!, $key: String) {
    createSegment(input: $input, idempotencyKey: $key) {
      id
      name
    }
  }
`),He=[{name:"orders_count",label:"Orders",kind:"number"},{name:"revenue",label:"Revenue",kind:"money"},{name:"clv",label:"CLV (12 months)",kind:"money"},{name:"churn_probability",label:"Churn probability (%)",kind:"share"},{name:"days_since_last_order",label:"Days since last order",kind:"number"},{name:"rfm_segment",label:"RFM segment",kind:"choice",choices:["champions","loyal","potential_loyalist","new","promising","need_attention","about_to_sleep","at_risk","cant_lose_them","hibernating","lost"]},{name:"risk_band",label:"Risk band",kind:"choice",choices:["healthy","watch","at_risk","lost"]},{name:"lifecycle_stage",label:"Lifecycle stage",kind:"choice",choices:["lead","prospect","customer","churned"]},{name:"kind",label:"Kind",kind:"choice",choices:["person","organization"]},{name:"loyalty_points",label:"Loyalty points",kind:"number"},{name:"acquisition_channel",label:"Acquisition channel",kind:"text"},{name:"tags",label:"Tags",kind:"text"}],Cn={number:[[">=","at least"],["<=","at most"],["=","exactly"],[">","more than"],["<","less than"]],money:[[">=","at least"],["<=","at most"],[">","more than"],["<","less than"]],share:[[">=","at least"],["<=","at most"]],choice:[["=","is"],["!=","is not"]],text:[["=","is"],["contains","contains"]]};function ze(n){return He.find(t=>t.name===n)??He[0]}function cs(n,t){const r=[];for(const s of t){const i=ze(s.field),a=s.value.trim();if(!a)return{problem:`Give a value for “${i.label}”.`};let l=a;if(i.kind==="number"||i.kind==="money"||i.kind==="share"){const p=Number(a);if(!Number.isFinite(p))return{problem:`“${i.label}” needs a number.`};l=i.kind==="money"?Math.round(p*100):i.kind==="share"?p/100:p}r.push({field:i.name,op:s.op,value:l})}return r.length===0?{problem:"Add a condition."}:{rule:{[n]:r}}}function ds({onSaved:n}){const t=oe(),[r,s]=_("all"),[i,a]=_([{field:"orders_count",op:">=",value:"3"}]),[l,p]=_(""),[c,u]=_({status:"idle"}),[f,h]=_(null),[d,o]=_(null),m=cs(r,i),v=JSON.stringify(m);Z(()=>{if(!("rule"in m)){u({status:"error",text:m.problem});return}let w=!1;u(b=>({...b,status:"loading"}));const y=setTimeout(()=>{D(os,{rule:m.rule}).then(b=>!w&&u({status:"ok",count:b.previewSegment.count,sample:b.previewSegment.sample}),b=>!w&&u({status:"error",text:Q(b)}))},350);return()=>{w=!0,clearTimeout(y)}},[v]);const k=(w,y)=>a(b=>b.map((S,g)=>{if(g!==w)return S;const R={...S,...y};if(y.field){const L=ze(y.field);R.op=Cn[L.kind][0]?.[0]??"=",R.value=L.choices?.[0]??""}return R})),I=async w=>{if(w.preventDefault(),"rule"in m){o(null);try{const y=await D(ls,{input:{name:l.trim(),rule:m.rule,tracked:!1},key:re()});h(y.createSegment.name),p(""),n()}catch(y){o(y)}}};return e("article",{class:"card","aria-labelledby":"builder-h",children:[e("h2",{id:"builder-h",children:"Build a segment"}),e("div",{class:"rule",children:[e("label",{children:["Customers matching",e("select",{value:r,onChange:w=>s(w.currentTarget.value==="any"?"any":"all"),children:[e("option",{value:"all",children:"all of these conditions"}),e("option",{value:"any",children:"any of these conditions"})]})]}),i.map((w,y)=>{const b=ze(w.field);return e("fieldset",{class:"condition","aria-label":`Condition ${y+1}`,children:[e("label",{children:["Field",e("select",{value:w.field,onChange:S=>k(y,{field:S.currentTarget.value}),children:He.map(S=>e("option",{value:S.name,children:S.label},S.name))})]}),e("label",{children:["Comparison",e("select",{value:w.op,onChange:S=>k(y,{op:S.currentTarget.value}),children:Cn[b.kind].map(([S,g])=>e("option",{value:S,children:g},S))})]}),e("label",{children:["Value",b.kind==="money"?" (whole units)":"",b.choices?e("select",{value:w.value,onChange:S=>k(y,{value:S.currentTarget.value}),children:b.choices.map(S=>e("option",{value:S,children:S.replace(/_/g," ")},S))}):e("input",{value:w.value,inputMode:b.kind==="text"?"text":"decimal",onInput:S=>k(y,{value:S.currentTarget.value})})]}),i.length>1&&e("button",{type:"button",class:"secondary",onClick:()=>a(S=>S.filter((g,R)=>R!==y)),children:"Remove"})]},y)}),e("div",{class:"row",children:e("button",{type:"button",class:"secondary",onClick:()=>a(w=>[...w,{field:"risk_band",op:"=",value:"at_risk"}]),children:"Add a condition"})})]}),e("div",{"aria-live":"polite",class:"preview",children:[c.status==="loading"&&e("p",{class:"muted",children:"Counting…"}),c.status==="ok"&&e(V,{children:[e("p",{class:"count","data-testid":"preview-count",children:[$(c.count??0)," customers match now"]}),(c.sample??[]).length>0&&e("p",{class:"small muted",children:["For example:"," ",(c.sample??[]).map((w,y)=>e("span",{children:[y>0?", ":"",e(B,{href:`/customers/${encodeURIComponent(w.id)}`,children:w.name})]},w.id))]})]}),c.status==="error"&&e("p",{class:"state error",role:"alert",children:c.text})]}),ue(t,"segments")&&e("form",{class:"row",onSubmit:w=>{I(w)},children:[e("label",{children:["Segment name",e("input",{required:!0,maxLength:200,value:l,onInput:w=>p(w.currentTarget.value)})]}),e("button",{type:"submit",disabled:!("rule"in m)||!l.trim(),children:"Save segment"})]}),f&&e("p",{class:"notice ok",role:"status",children:["Saved “",f,"”."]}),d!=null&&e(K,{error:d})]})}function us(){const n=z(()=>D(as),"segments");return e(F,{title:"Segments",children:e("div",{class:"columns",children:[e("article",{class:"card","aria-labelledby":"saved-h",children:[e("h2",{id:"saved-h",children:"Saved segments"}),n.status==="loading"&&e(W,{what:"segments"}),n.status==="error"&&e(K,{error:n.error,retry:n.reload}),n.status==="ok"&&n.data.segments.nodes.length===0&&e(N,{children:"No segment yet: build one."}),n.status==="ok"&&e("ul",{class:"plain",children:n.data.segments.nodes.map(t=>e("li",{children:[e("strong",{children:t.name}),t.description?e("div",{class:"small muted",children:t.description}):null]},t.id))})]}),e(ds,{onSaved:n.reload})]})})}const hs=T(`
  query Settings {
    users(first: 100) {
      nodes {
        id
        name
        email
        role
        disabled
        lastLoginAt
        version
      }
    }
    apiKeys(first: 100) {
      nodes {
        id
        name
        prefix
        scopes
        lastUsedAt
        expiresAt
        revokedAt
      }
    }
    webhooks(first: 50) {
      nodes {
        id
        url
        description
        eventTypes
        enabled
        disabledReason
      }
    }
  }
`),ms=T(`
  mutation CreateUser($input: NewUser!) {
    createUser(input: $input) {
      id
      name
      role
    }
  }
`),ps=T(`
  mutation SetUserDisabled($id: ID!, $disabled: Boolean!) {
    updateUser(id: $id, input: { disabled: $disabled }) {
      id
      disabled
    }
  }
`),fs=T(`
  mutation CreateApiKey($input: NewApiKey!) {
    createApiKey(input: $input) {
      id
      name
      scopes
      secret
    }
  }
`),ys=T(`
  mutation RevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) {
      id
      revokedAt
    }
  }
`),gs=T(`
  mutation CreateWebhook($input: NewWebhook!) {
    createWebhook(input: $input) {
      id
      url
      secret
    }
  }
`),vs=T(`
  mutation DeleteWebhook($id: ID!) {
    deleteWebhook(id: $id)
  }
`),bs=T(`
  query WebhookDeliveries($id: ID!) {
    webhookDeliveries(webhookId: $id, first: 20) {
      nodes {
        id
        eventType
        eventCount
        attempt
        trigger
        outcome
        statusCode
        latencyMs
        error
        createdAt
      }
    }
  }
`);function _s({id:n}){const t=z(()=>D(bs,{id:n}),n);if(t.status==="loading")return e(W,{what:"deliveries"});if(t.status==="error")return e(K,{error:t.error,retry:t.reload});const r=t.data.webhookDeliveries.nodes;return r.length===0?e(N,{children:"Nothing delivered yet."}):e("table",{class:"list compact","aria-label":"Delivery log",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"When"}),e("th",{scope:"col",children:"Event"}),e("th",{scope:"col",children:"Attempt"}),e("th",{scope:"col",children:"Outcome"}),e("th",{scope:"col",class:"num",children:"Status"}),e("th",{scope:"col",class:"num",children:"Latency"})]})}),e("tbody",{children:r.map(s=>e("tr",{children:[e("td",{children:M(s.createdAt)}),e("td",{children:[s.eventType,s.eventCount>1?e("span",{class:"muted",children:[" and ",s.eventCount-1," more (one batch)"]}):null]}),e("td",{children:[s.attempt," (",s.trigger,")"]}),e("td",{children:[x(s.outcome),s.error?e("div",{class:"small muted",children:s.error}):null]}),e("td",{class:"num",children:s.statusCode??"—"}),e("td",{class:"num",children:[s.latencyMs," ms"]})]},s.id))})]})}const ws=["viewer","agent","manager","admin","owner"],$s=["accounts:read","accounts:write","orders:read","orders:write","deals:read","deals:write","loyalty:read","loyalty:write","analytics:read","campaigns:read","campaigns:write","offers:read","offers:write","events:read","admin"];function tn(n){const[t,r]=_(!1);return{busy:t,run:async i=>{r(!0);try{const a=await i();typeof a=="string"?n(a,!0):n(a[0],!0,a[1])}catch(a){n(Q(a),!1)}finally{r(!1)}}}}function ks({users:n,me:t,owner:r,done:s}){const{busy:i,run:a}=tn(s),[l,p]=_(""),[c,u]=_(""),[f,h]=_(""),[d,o]=_("agent");return e("article",{class:"card wide","aria-labelledby":"users-h",children:[e("h2",{id:"users-h",children:"Users"}),e("table",{class:"list","aria-labelledby":"users-h",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Name"}),e("th",{scope:"col",children:"E-mail"}),e("th",{scope:"col",children:"Role"}),e("th",{scope:"col",children:"Last sign-in"}),e("th",{scope:"col",children:e("span",{class:"muted small",children:"Action"})})]})}),e("tbody",{children:n.map(m=>e("tr",{children:[e("td",{children:[m.name,m.disabled?" (disabled)":""]}),e("td",{children:m.email}),e("td",{children:x(m.role)}),e("td",{children:m.lastLoginAt?M(m.lastLoginAt):"never"}),e("td",{children:m.email!==t&&e("button",{type:"button",class:"secondary",disabled:i,onClick:()=>{a(async()=>(await D(ps,{id:m.id,disabled:!m.disabled}),m.disabled?`${m.name} can sign in again.`:`${m.name} is disabled: their sessions have ended.`))},children:m.disabled?`Enable ${m.name}`:`Disable ${m.name}`})})]},m.id))})]}),e("h3",{class:"small",children:"Add a user"}),e("form",{class:"condition",onSubmit:m=>{m.preventDefault(),a(async()=>{const v=await D(ms,{input:{email:l.trim(),name:c.trim(),password:f,role:d}});return p(""),u(""),h(""),`${v.createUser.name} was added as ${x(v.createUser.role).toLowerCase()}; give them their password yourself.`})},children:[e("label",{children:["Name",e("input",{name:"user-name",required:!0,maxLength:200,value:c,onInput:m=>u(m.currentTarget.value)})]}),e("label",{children:["E-mail",e("input",{name:"user-email",type:"email",required:!0,value:l,onInput:m=>p(m.currentTarget.value)})]}),e("label",{children:["Password (10 or more characters)",e("input",{name:"user-password",type:"password",autocomplete:"new-password",required:!0,minLength:10,maxLength:256,value:f,onInput:m=>h(m.currentTarget.value)})]}),e("label",{children:["Role",e("select",{name:"user-role",value:d,onChange:m=>o(m.currentTarget.value),children:ws.filter(m=>r||m!=="owner").map(m=>e("option",{value:m,children:x(m)},m))})]}),e("button",{type:"submit",disabled:i||!l.trim()||!c.trim()||f.length<10,children:"Add user"})]})]})}function Cs({keys:n,done:t}){const{busy:r,run:s}=tn(t),[i,a]=_(""),[l,p]=_(["accounts:read"]),c=u=>p(l.includes(u)?l.filter(f=>f!==u):[...l,u]);return e("article",{class:"card wide","aria-labelledby":"keys-h",children:[e("h2",{id:"keys-h",children:"API keys"}),n.length===0?e(N,{children:"No API key."}):e("table",{class:"list","aria-labelledby":"keys-h",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Name"}),e("th",{scope:"col",children:"Prefix"}),e("th",{scope:"col",children:"Scopes"}),e("th",{scope:"col",children:"Last used"}),e("th",{scope:"col",children:"State"}),e("th",{scope:"col",children:e("span",{class:"muted small",children:"Action"})})]})}),e("tbody",{children:n.map(u=>e("tr",{"data-key":u.name,children:[e("td",{children:u.name}),e("td",{children:e("code",{children:`rk_${u.prefix}_…`})}),e("td",{class:"small",children:u.scopes.join(", ")}),e("td",{children:u.lastUsedAt?M(u.lastUsedAt):"never"}),e("td",{children:u.revokedAt?`revoked ${M(u.revokedAt)}`:u.expiresAt?`expires ${M(u.expiresAt)}`:"active"}),e("td",{children:!u.revokedAt&&e("button",{type:"button",class:"secondary",disabled:r,onClick:()=>{s(async()=>(await D(ys,{id:u.id}),`The key “${u.name}” is revoked: requests carrying it are refused from now on.`))},children:["Revoke “",u.name,"”"]})})]},u.id))})]}),e("h3",{class:"small",children:"Create a key"}),e("form",{class:"rule",onSubmit:u=>{u.preventDefault(),s(async()=>{const f=await D(fs,{input:{name:i.trim(),scopes:l}});return a(""),[`The key “${f.createApiKey.name}” was created with ${f.createApiKey.scopes.join(", ")}. Copy its secret now: it is not shown again.`,{label:"API key secret",value:f.createApiKey.secret}]})},children:[e("label",{children:["Key name",e("input",{name:"key-name",required:!0,maxLength:200,value:i,onInput:u=>a(u.currentTarget.value)})]}),e("fieldset",{class:"scopes",children:[e("legend",{children:"Scopes (no wider than your own)"}),$s.map(u=>e("label",{children:[e("input",{type:"checkbox",checked:l.includes(u),onChange:()=>c(u)})," ",u]},u))]}),e("button",{type:"submit",disabled:r||!i.trim()||l.length===0,children:"Create key"})]})]})}function Ss({hooks:n,done:t}){const{busy:r,run:s}=tn(t),[i,a]=_(null),[l,p]=_(null),[c,u]=_(""),[f,h]=_("order.*"),[d,o]=_("");return e("article",{class:"card wide","aria-labelledby":"hooks-h",children:[e("h2",{id:"hooks-h",children:"Webhooks"}),n.length===0?e(N,{children:"No webhook subscription."}):e("ul",{class:"plain",children:n.map(m=>e("li",{children:[e("div",{class:"row",children:[e("strong",{children:m.url}),e("span",{class:"small muted",children:[m.eventTypes.join(", ")," · ",m.enabled?"enabled":`disabled${m.disabledReason?`: ${m.disabledReason}`:""}`,m.description?` · ${m.description}`:""]}),e("button",{type:"button",class:"secondary","aria-expanded":i===m.id,onClick:()=>a(i===m.id?null:m.id),children:i===m.id?"Hide deliveries":"Show deliveries"}),l===m.id?e("button",{type:"button",disabled:r,onClick:()=>{s(async()=>(await D(vs,{id:m.id}),p(null),`The subscription to ${m.url} and its delivery log are deleted.`))},children:"Confirm: delete it and its log"}):e("button",{type:"button",class:"secondary",onClick:()=>p(m.id),children:"Delete"})]}),i===m.id&&e(_s,{id:m.id})]},m.id))}),e("h3",{class:"small",children:"Subscribe a URL"}),e("form",{class:"condition",onSubmit:m=>{m.preventDefault(),s(async()=>{const v=f.split(/[\s,]+/).map(I=>I.trim()).filter(Boolean),k=await D(gs,{input:{url:c.trim(),eventTypes:v,description:d.trim()||null}});return u(""),o(""),[`Deliveries to ${k.createWebhook.url} start with the next matching event. Copy the signing secret now: it is not shown again.`,{label:"Signing secret",value:k.createWebhook.secret}]})},children:[e("label",{children:["URL (https)",e("input",{name:"hook-url",type:"url",required:!0,value:c,onInput:m=>u(m.currentTarget.value)})]}),e("label",{children:["Event types (order.*, deal.won, * …)",e("input",{name:"hook-events",required:!0,value:f,onInput:m=>h(m.currentTarget.value)})]}),e("label",{children:["Description",e("input",{name:"hook-description",maxLength:500,value:d,onInput:m=>o(m.currentTarget.value)})]}),e("button",{type:"submit",disabled:r||!c.trim()||!f.trim(),children:"Subscribe"})]})]})}function As(){const n=oe(),t=n.role==="owner"||n.role==="admin",r=z(()=>t?D(hs):Promise.resolve(null),"settings"),[s,i]=_(null),[a,l]=_(null);if(!t)return e(F,{title:"Settings",children:e(N,{children:"Only owners and admins manage users, API keys and webhooks."})});if(r.status==="loading")return e(W,{what:"settings"});if(r.status==="error")return e(K,{error:r.error,retry:r.reload});if(!r.data)return null;const{users:p,apiKeys:c,webhooks:u}=r.data,f=(h,d,o)=>{i({ok:d,text:h}),l(o??null),d&&r.reload()};return e(F,{title:"Settings",children:[e(ye,{notice:s,testid:"settings-notice"}),a&&e("div",{class:"notice ok","data-testid":"secret",children:[e("strong",{children:a.label})," (shown once):",e("code",{class:"secret",children:a.value}),e("button",{type:"button",class:"secondary",onClick:()=>l(null),children:"I have kept it"})]}),e("div",{class:"grid",children:[e(ks,{users:p.nodes,me:n.email,owner:n.role==="owner",done:f}),e(Cs,{keys:c.nodes,done:f}),e(Ss,{hooks:u.nodes,done:f})]})]})}function xs(){const[n,t]=_(""),[r,s]=_(""),[i,a]=_(!1),[l,p]=_(null),c=async u=>{u.preventDefault(),a(!0),p(null);try{await yt(n.trim(),r)}catch(f){p(f),a(!1)}};return e("main",{id:"main",class:"signin",children:e("form",{onSubmit:u=>{c(u)},"aria-labelledby":"signin-title",children:[e("h1",{id:"signin-title",children:"Sign in to Rapport"}),e("label",{children:["E-mail",e("input",{type:"email",name:"email",autoComplete:"username",required:!0,value:n,onInput:u=>t(u.currentTarget.value)})]}),e("label",{children:["Password",e("input",{type:"password",name:"password",autoComplete:"current-password",required:!0,value:r,onInput:u=>s(u.currentTarget.value)})]}),l!=null&&e("p",{class:"state error",role:"alert",children:Q(l)}),e("button",{type:"submit",disabled:i,children:i?"Signing in…":"Sign in"}),e("p",{class:"hint",children:"Your session lives in this tab only: reloading the page asks you to sign in again."})]})})}const Rs=T(`
  query Value {
    rfmSegments {
      currency
      breakpointsFittedAt
      scoredAccounts
      unscoredAccounts
      segments {
        segment
        label
        accounts
        revenue
        shareOfAccounts
        shareOfRevenue
      }
    }
    valueDistribution {
      currency
      clv {
        customers
        histogram {
          lower
          upper
          customers
        }
      }
    }
    atRiskAccounts(first: 20) {
      nodes {
        accountId
        name
        valueAtRisk
        churnProbability
        riskBand
        clv
        revenue
        segment
      }
    }
  }
`);function Is(){const n=z(()=>D(Rs),"value");if(n.status==="loading")return e(W,{what:"value"});if(n.status==="error")return e(K,{error:n.error,retry:n.reload});const{rfmSegments:t,valueDistribution:r,atRiskAccounts:s}=n.data;return e(F,{title:"Value",children:e("div",{class:"grid",children:[e("article",{class:"card wide","aria-labelledby":"rfm-grid-h",children:[e("h2",{id:"rfm-grid-h",children:"RFM grid"}),t.scoredAccounts===0?e(N,{children:"No customer is scored yet: fit the value model once there are orders."}):e(V,{children:[e("p",{class:"muted small",children:["Recency (rows) against the average of frequency and monetary value (columns); darker cells hold more of the revenue."," ",t.scoredAccounts," customers scored",t.breakpointsFittedAt?` on ${M(t.breakpointsFittedAt)}`:"","."]}),e(tr,{cells:t.segments}),e("table",{class:"list","aria-label":"RFM segments",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Segment"}),e("th",{scope:"col",class:"num",children:"Customers"}),e("th",{scope:"col",class:"num",children:"Share"}),e("th",{scope:"col",class:"num",children:"Revenue"}),e("th",{scope:"col",class:"num",children:"Share of revenue"})]})}),e("tbody",{children:t.segments.map(i=>e("tr",{children:[e("td",{children:i.label}),e("td",{class:"num",children:i.accounts}),e("td",{class:"num",children:q(i.shareOfAccounts)}),e("td",{class:"num",children:C(i.revenue,t.currency)}),e("td",{class:"num",children:q(i.shareOfRevenue)})]},i.segment))})]})]})]}),e("article",{class:"card wide","aria-labelledby":"clv-h",children:[e("h2",{id:"clv-h",children:"CLV distribution"}),r.clv.customers===0?e(N,{children:"No CLV predictions yet."}):e(Ve,{label:"Customers by 12-month CLV",bars:r.clv.histogram.map(i=>({label:`≥ ${te(i.lower,r.currency)}`,value:i.customers,text:`${i.customers}`}))})]}),e("article",{class:"card wide","aria-labelledby":"risk-h",children:[e("h2",{id:"risk-h",children:"At risk, by value at risk"}),s.nodes.length===0?e(N,{children:"Nobody is at risk (or the model is not fitted yet)."}):e("table",{class:"list","aria-labelledby":"risk-h",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Customer"}),e("th",{scope:"col",children:"Segment"}),e("th",{scope:"col",children:"Risk"}),e("th",{scope:"col",class:"num",children:"Churn"}),e("th",{scope:"col",class:"num",children:"CLV"}),e("th",{scope:"col",class:"num",children:"Value at risk"})]})}),e("tbody",{children:s.nodes.map(i=>e("tr",{children:[e("td",{children:e(B,{href:`/customers/${encodeURIComponent(i.accountId)}`,children:i.name})}),e("td",{children:x(i.segment)}),e("td",{children:e("span",{class:`band ${i.riskBand}`,children:x(i.riskBand)})}),e("td",{class:"num",children:q(i.churnProbability)}),e("td",{class:"num",children:C(i.clv,t.currency)}),e("td",{class:"num",children:C(i.valueAtRisk,t.currency)})]},i.accountId))})]})]})]})})}const Ps=T(`
  query Me {
    me {
      name
      email
      role
    }
    workspace {
      name
    }
    valueSettings {
      reportingCurrency
    }
  }
`),Ds=[["/","Overview"],["/customers","Customers"],["/value","Value"],["/cohorts","Cohorts"],["/economics","Economics"],["/pipeline","Pipeline"],["/segments","Segments"],["/campaigns","Campaigns"],["/offers","Offers"],["/feedback","Feedback"],["/loyalty","Loyalty"],["/data","Data"],["/settings","Settings"]];function Ts(n,t){return n==="/settings"?t==="owner"||t==="admin":n==="/data"?t==="owner"||t==="admin"||t==="manager":!0}function Ns({path:n}){const t=n.split("/").filter(Boolean);switch(t[0]){case void 0:return e(ts,{});case"customers":return t[1]?e(Dr,{id:decodeURIComponent(t[1])}):e(Mr,{});case"value":return e(Is,{});case"cohorts":return e(yr,{});case"economics":return e(Kr,{});case"data":return e(Br,{});case"loyalty":return e(Zr,{});case"settings":return e(As,{});case"pipeline":return e(is,{});case"segments":return e(us,{});case"offers":return e(Cr,{});case"feedback":return e(Jr,{complaint:t[1]==="complaints"&&t[2]?decodeURIComponent(t[2]):null});case"campaigns":return e(mr,{selected:t[1]?decodeURIComponent(t[1]):null});default:return e("section",{class:"page",children:[e("h1",{children:"Not found"}),e("p",{children:["There is no page at this address. ",e(B,{href:"/",children:"Go to the overview"}),"."]})]})}}function Ms({me:n}){const t=ir(),r="/"+(t.split("/").filter(Boolean)[0]??"");return e(jn.Provider,{value:n,children:[e("a",{class:"skip",href:"#main",children:"Skip to content"}),e("header",{class:"top",children:[e("span",{class:"brand",children:"Rapport"}),e("nav",{"aria-label":"Main",children:e("ul",{children:Ds.filter(([s])=>Ts(s,n.role)).map(([s,i])=>e("li",{children:e(B,{href:s,"aria-current":r===s?"page":void 0,children:i})},s))})}),e("span",{class:"who",children:[n.name," · ",n.role," · ",n.workspace,e("button",{type:"button",class:"link",onClick:()=>{Vn()},children:"Sign out"})]})]}),e("main",{id:"main",children:e(Ns,{path:t})})]})}function Os(){const[n,t]=_(ft()),[r,s]=_(null),[i,a]=_(null);return Z(()=>pt(l=>t(l)),[]),Z(()=>{if(!n){s(null);return}a(null),D(Ps).then(l=>{gt(l.valueSettings.reportingCurrency),s({name:l.me?.name??"API key",email:l.me?.email??"",role:l.me?.role??"viewer",workspace:l.workspace.name,currency:l.valueSettings.reportingCurrency})},l=>a(l))},[n]),n?i?e(K,{error:i,retry:()=>{Vn()}}):r?e(Ms,{me:r}):e(W,{what:"your workspace"}):e(xs,{})}const Sn=document.getElementById("app");Sn&&it(e(Os,{}),Sn);
